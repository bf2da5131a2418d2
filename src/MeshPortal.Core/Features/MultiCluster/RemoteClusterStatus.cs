using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>One remote cluster as this cluster's istiod sees it (what <c>istioctl remote-clusters</c> shows), with why it is not synced.</summary>
public sealed record RemoteClusterRow(string ClusterId, string? PeerName, string? SecretName, string SyncStatus, bool Synced, string? Explanation);

/// <summary>The rows, or why they could not be read.</summary>
/// <param name="Unknowable">istiod of this release cannot tell (no /debug/clusterz before 1.11): not a problem to alert on.</param>
public sealed record RemoteClusterReport(IReadOnlyList<RemoteClusterRow> Rows, string? Problem, bool Unknowable = false);

/// <summary>
/// Reads istiod's <c>/debug/clusterz</c> (<c>pilot/pkg/xds/debug.go</c>, Istio 1.11+: <c>[{"id","secretName","syncStatus"}]</c>)
/// through the API server's service proxy and sets it beside the peers MeshPortal expects, so a missing or unsynced remote
/// cluster comes with a reason.
/// </summary>
public sealed class RemoteClusterStatus(IDbContextFactory<MeshPortalDbContext> dbFactory, IClusterGateway gateway, SecretProtector secrets)
    : IAfterClusterCheck
{
    /// <summary>After the recurring check: stores what istiod has not synced (alerts read it), or null when all is well.</summary>
    public async Task AfterCheckAsync(string clusterName, CancellationToken ct)
    {
        var report = await ReadAsync(clusterName, ct);
        var problem = Summary(report);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Clusters.Where(c => c.Name == clusterName && c.RemoteSyncProblem != problem)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.RemoteSyncProblem, problem), ct);
    }

    /// <summary>One text for the alert: null when every expected peer is synced (or the cluster is no primary). Pure.</summary>
    public static string? Summary(RemoteClusterReport? report)
    {
        if (report is null || report.Unknowable)
        {
            return null;
        }

        if (report.Problem is not null)
        {
            return report.Problem;
        }

        var bad = report.Rows.Where(r => !r.Synced).ToList();
        var text = bad.Count == 0 ? null : string.Join(" ", bad.Select(r => $"{r.PeerName ?? r.ClusterId}: {r.SyncStatus}. {r.Explanation}"));
        return text is { Length: > 4000 } ? text[..3999] + "…" : text;
    }

    public async Task<RemoteClusterReport?> ReadAsync(string clusterName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.MeshFactsJson != null).ToListAsync(ct);
        var self = clusters.FirstOrDefault(c => c.Name == clusterName);
        var facts = MeshFactsJson.Deserialize(self?.MeshFactsJson);
        if (self is null || facts is null || !MultiPrimaryRules.Decide(facts).Supported)
        {
            return null;
        }

        var peers = clusters.Where(c => c.Id != self.Id)
            .Select(c => (c.Name, Facts: MeshFactsJson.Deserialize(c.MeshFactsJson)))
            .Where(p => p.Facts is not null && MultiPrimaryRules.Decide(p.Facts).Supported)
            .ToDictionary(p => p.Facts!.IstioClusterId!, p => p.Name, StringComparer.Ordinal);
        var service = facts.Revision is null or "default" ? "istiod:15014" : $"istiod-{facts.Revision}:15014";
        var connection = secrets.ConnectionTo(self);
        try
        {
            var body = await gateway.GetServiceProxyAsync(connection, "istio-system", service, "debug/clusterz", ct);
            return Build(body, facts.IstioClusterId!, peers);
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return new RemoteClusterReport([], $"istiod answers 404 for /debug/clusterz: Istio {facts.IstioVersion} does not have it (it came in 1.11).", Unknowable: true);
        }
        catch (ClusterCallException ex)
        {
            return new RemoteClusterReport([], $"Could not ask istiod ({service} in istio-system): {ex.Message}");
        }
    }

    /// <summary>Pure: istiod's answer beside the peers expected (cluster ID → MeshPortal name).</summary>
    public static RemoteClusterReport Build(string clusterzJson, string ownClusterId, IReadOnlyDictionary<string, string> expected)
    {
        JsonArray? listed;
        try
        {
            listed = JsonNode.Parse(clusterzJson) as JsonArray;
        }
        catch (JsonException)
        {
            return new RemoteClusterReport([], "istiod's /debug/clusterz did not answer JSON.");
        }

        var rows = new List<RemoteClusterRow>();
        foreach (var item in (listed ?? []).OfType<JsonObject>())
        {
            var id = (string?)item["id"] ?? "";
            if (id == ownClusterId)
            {
                continue; // istiod lists its own cluster too
            }

            var status = (string?)item["syncStatus"] ?? "unknown";
            var synced = status == "synced";
            var name = expected.GetValueOrDefault(id);
            rows.Add(new RemoteClusterRow(id, name, (string?)item["secretName"], status, synced, synced ? null :
                $"istiod cannot read {name ?? id}'s API with the remote secret: the reader token may be revoked (MeshPortal re-mints it on that cluster's next push), " +
                "the API server may not be reachable from this cluster (set the cluster's peer API server), or the CA does not match."));
        }

        foreach (var (id, name) in expected.Where(e => rows.All(r => r.ClusterId != e.Key)))
        {
            rows.Add(new RemoteClusterRow(id, name, null, "missing", false,
                $"istiod does not list {name}: no remote secret for it in istio-system yet (its reader token is minted on its next push), or istiod " +
                "ignored it (a cluster ID used twice)."));
        }

        return new RemoteClusterReport([.. rows.OrderBy(r => r.Synced).ThenBy(r => r.ClusterId, StringComparer.Ordinal)], null);
    }
}
