using System.Text;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>
/// Keeps each primary's <c>istio-reader-service-account</c> token current: after a push it reads the token the cluster's
/// token controller put into MeshPortal's token Secret, proves it still works against that cluster's API (a revoked token
/// answers 401), stores it protected, and asks for a push of the peers whose remote secrets carry it. A revoked token's
/// Secret is deleted, so the next push creates a fresh one (the controller mints a new token) and the secrets are replaced.
/// </summary>
public sealed partial class ReaderTokenService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    IClusterClientFactory clients,
    SecretProtector secrets,
    ISyncScheduler sync,
    IOptions<ClusterAccessOptions> access,
    ILogger<ReaderTokenService> logger,
    TimeProvider clock) : IAfterPush
{
    public async Task AfterPushAsync(int clusterId, CancellationToken ct) => await RefreshAsync(clusterId, ct);

    private static readonly TimeSpan TokenWait = TimeSpan.FromSeconds(5);

    /// <summary>What <see cref="RefreshAsync"/> found.</summary>
    public enum Outcome
    {
        NotAPrimary,
        NoTokenYet,
        Unchanged,
        Stored,
        RevokedAndReplaced,
        FreshTokenFails,
    }

    private static readonly TimeSpan FreshToken = TimeSpan.FromMinutes(5);

    public async Task<Outcome> RefreshAsync(int clusterId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Id == clusterId, ct);
        var facts = MeshFactsJson.Deserialize(cluster?.MeshFactsJson);
        if (cluster is null || facts is null || !MultiPrimaryRules.Decide(facts).Supported)
        {
            return Outcome.NotAPrimary;
        }

        var connection = secrets.ConnectionTo(cluster);
        var reference = RemoteSecrets.SecretRef(RemoteSecrets.ReaderTokenSecret);
        var (token, createdAt) = await WaitForTokenAsync(connection, reference, ct);
        if (token is null)
        {
            return Outcome.NoTokenYet;
        }

        var peers = await db.Clusters.Where(c => c.Id != clusterId && c.MeshFactsJson != null).Select(c => c.Id).ToListAsync(ct);
        if (!await WorksAsync(connection.Kubeconfig, cluster.Context, token, ct))
        {
            if (createdAt is { } created && clock.GetUtcNow() - created < FreshToken)
            {
                // A token minted moments ago fails too: the account itself cannot read (RBAC, a revoking webhook). Re-minting again
                // would only loop; the remote-cluster status on the cluster page and its alert say why.
                LogFreshTokenFails(logger, cluster.Name);
                return Outcome.FreshTokenFails;
            }

            LogRevoked(logger, cluster.Name);
            await gateway.DeleteAsync(connection, reference, ct);
            cluster.ProtectedReaderToken = null;
            await db.SaveChangesAsync(ct);
            sync.RequestSync([clusterId, .. peers], "reader token revoked");
            return Outcome.RevokedAndReplaced;
        }

        var stored = cluster.ProtectedReaderToken is null ? null : secrets.UnprotectReaderToken(cluster.ProtectedReaderToken);
        if (stored == token)
        {
            return Outcome.Unchanged;
        }

        cluster.ProtectedReaderToken = secrets.ProtectReaderToken(token);
        await db.SaveChangesAsync(ct);
        sync.RequestSync(peers, "reader token");
        return Outcome.Stored;
    }

    private async Task<(string? Token, DateTimeOffset? CreatedAt)> WaitForTokenAsync(ClusterConnection connection, ObjectRef reference, CancellationToken ct)
    {
        // The token controller fills the Secret right after it is created; wait a few seconds for it, no longer.
        var until = DateTime.UtcNow + TokenWait;
        while (true)
        {
            var secret = await gateway.GetObjectAsync(connection, reference, ct);
            if (secret?["data"]?["token"]?.GetValue<string>() is { Length: > 0 } encoded)
            {
                var created = DateTimeOffset.TryParse(secret["metadata"]?["creationTimestamp"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
                return (Encoding.UTF8.GetString(Convert.FromBase64String(encoded)), created);
            }

            if (secret is null || DateTime.UtcNow > until)
            {
                return (null, null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    /// <summary>Lists namespaces with the reader token alone (the reader ClusterRole may): 401/403 means it no longer works.</summary>
    private async Task<bool> WorksAsync(string kubeconfig, string context, string token, CancellationToken ct)
    {
        var selected = KubeconfigParser.Parse(kubeconfig, access.Value.ToPolicy(), context).Selected;
        var ca = selected?.CertificateAuthorityData is { } bytes ? Convert.ToBase64String(bytes) : "";
        var withToken = RemoteSecrets.Kubeconfig("reader", selected?.Server ?? "", ca, token);
        using var client = clients.CreateTransient(withToken, "reader");
        try
        {
            await KubeOperations.ListNamespacesAsync(client, ct);
            return true;
        }
        catch (ClusterCallException ex) when (ex.Kind is ClusterCallErrorKind.Unauthorized or ClusterCallErrorKind.Forbidden)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A freshly minted istio-reader-service-account token of {Cluster} does not work either: the account cannot read its cluster; not re-minting again")]
    private static partial void LogFreshTokenFails(ILogger logger, string cluster);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The istio-reader-service-account token of {Cluster} no longer works; it is re-minted and the remote secrets carrying it replaced")]
    private static partial void LogRevoked(ILogger logger, string cluster);
}
