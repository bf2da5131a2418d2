using System.Text.Json;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// Registers, edits, re-checks and deletes clusters: the one path used by the UI, the API, the scheduled re-check and
/// the demo start-up. Bad input changes nothing; cluster-side failures are recorded, never lost.
/// </summary>
public sealed partial class ClusterService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterConnectionChecker checker,
    KubeconfigValidator kubeconfigs,
    SecretProtector secrets,
    TimeProvider clock,
    ClusterEvents events,
    IClusterClientFactory clients,
    ILogger<ClusterService> logger,
    ISyncScheduler? sync = null)
{
    /// <summary>Check runs kept per cluster; older ones are deleted.</summary>
    public const int CheckHistoryDepth = 50;

    public static readonly JsonSerializerOptions StageJson = new(JsonSerializerDefaults.Web);

    public KubeconfigInspection Inspect(string? kubeconfig) => kubeconfigs.Inspect(kubeconfig);

    /// <summary>Runs the staged connection check on a draft without saving anything.</summary>
    public Task<ConnectionCheckReport> CheckDraftAsync(string kubeconfig, string? context, CancellationToken ct) =>
        checker.CheckAsync(kubeconfig, context, ct);

    public async Task<ClusterSaveResult> RegisterAsync(ClusterDraft draft, AuditContext who, ConnectionCheckReport? report, CancellationToken ct)
    {
        var trigger = who.Describe();
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "name", ClusterName.Validate(draft.Name));
        AddError(errors, "network", LabelValue.Validate(draft.Network, "network"));
        AddError(errors, "peerApiServer", PeerApiServerRule.Validate(draft.PeerApiServer));
        AddError(errors, "region", LabelValue.Validate(draft.Region, "region"));
        var extracted = kubeconfigs.Extract(draft.Kubeconfig, draft.Context);
        if (extracted.Errors.Count > 0)
        {
            errors[extracted.Field] = [.. extracted.Errors];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!errors.ContainsKey("name") && await db.Clusters.AnyAsync(c => c.Name == draft.Name, ct))
        {
            errors["name"] = [$"A cluster named '{draft.Name}' is already registered. Choose another name or edit that cluster."];
        }

        if (errors.Count > 0)
        {
            return ClusterSaveResult.Invalid(errors);
        }

        report ??= await checker.CheckAsync(extracted.Kubeconfig!, extracted.Context, ct);
        var now = clock.GetUtcNow();
        var cluster = new ClusterEntity
        {
            Name = draft.Name,
            Context = extracted.Context!,
            Server = extracted.Server!,
            ProtectedKubeconfig = secrets.ProtectKubeconfig(extracted.Kubeconfig!),
            Network = Normalize(draft.Network),
            PeerApiServer = Normalize(draft.PeerApiServer),
            Region = Normalize(draft.Region),
            CreatedAt = now,
            UpdatedAt = now,
        };
        ApplyReport(cluster, report, trigger);
        db.Clusters.Add(cluster);
        AuditLog.Stage(db, who, new AuditEvent("cluster.registered", "cluster", cluster.Name,
            $"Registered cluster {cluster.Name} ({cluster.Server}); connection check {(report.Passed ? "passed" : "failed")}",
            After: Shape(cluster)), now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            if (await NameTakenAsync(draft.Name, ct))
            {
                return ClusterSaveResult.Invalid("name", $"A cluster named '{draft.Name}' is already registered.");
            }

            throw;
        }

        LogRegistered(logger, cluster.Name, trigger, report.Passed);
        events.Publish(cluster.Name);
        sync?.RequestSync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), $"cluster {cluster.Name} registered");
        return new ClusterSaveResult(ClusterView.From(cluster), new Dictionary<string, string[]>(), report);
    }

    public async Task<ClusterSaveResult> UpdateAsync(string name, ClusterUpdate update, AuditContext who, ConnectionCheckReport? report, CancellationToken ct)
    {
        var trigger = who.Describe();
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "network", LabelValue.Validate(update.Network, "network"));
        AddError(errors, "peerApiServer", PeerApiServerRule.Validate(update.PeerApiServer));
        AddError(errors, "region", LabelValue.Validate(update.Region, "region"));
        KubeconfigExtraction? extracted = null;
        if (!string.IsNullOrWhiteSpace(update.Kubeconfig))
        {
            extracted = kubeconfigs.Extract(update.Kubeconfig, update.Context);
            if (extracted.Errors.Count > 0)
            {
                errors[extracted.Field] = [.. extracted.Errors];
            }
        }

        if (errors.Count > 0)
        {
            return ClusterSaveResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (cluster is null)
        {
            return ClusterSaveResult.Invalid("name", $"No cluster named '{name}' is registered.");
        }

        var before = Shape(cluster);
        cluster.Network = Normalize(update.Network);
        cluster.PeerApiServer = Normalize(update.PeerApiServer);
        cluster.Region = Normalize(update.Region);
        cluster.UpdatedAt = clock.GetUtcNow();
        if (extracted is not null)
        {
            cluster.Context = extracted.Context!;
            cluster.Server = extracted.Server!;
            cluster.ProtectedKubeconfig = secrets.ProtectKubeconfig(extracted.Kubeconfig!);
            cluster.CredentialVersion++;
            report ??= await checker.CheckAsync(extracted.Kubeconfig!, extracted.Context, ct);
            ApplyReport(cluster, report, trigger);
        }

        AuditLog.Stage(db, who, new AuditEvent("cluster.changed", "cluster", cluster.Name,
            extracted is null ? $"Changed cluster {cluster.Name}" : $"Changed cluster {cluster.Name}, new kubeconfig (credential version {cluster.CredentialVersion})",
            Before: before, After: Shape(cluster)), cluster.UpdatedAt);
        await db.SaveChangesAsync(ct);
        await TrimHistoryAsync(db, cluster.Id, ct);
        events.Publish(cluster.Name);
        sync?.RequestSync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), $"cluster {cluster.Name} edited");
        return new ClusterSaveResult(ClusterView.From(cluster), new Dictionary<string, string[]>(), report);
    }

    /// <summary>Runs the connection check of a registered cluster and records it. Null when no such cluster.</summary>
    public async Task<ConnectionCheckReport?> RecheckAsync(string name, AuditContext who, CancellationToken ct)
    {
        var trigger = who == AuditContext.System ? "schedule" : who.Describe();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (cluster is null)
        {
            return null;
        }

        var report = await checker.CheckAsync(secrets.UnprotectKubeconfig(cluster.ProtectedKubeconfig), cluster.Context, ct);
        ApplyReport(cluster, report, trigger);
        if (who != AuditContext.System)
        {
            // Scheduled checks are not changes anyone made; a manual re-check is.
            AuditLog.Stage(db, who, new AuditEvent("cluster.rechecked", "cluster", cluster.Name,
                $"Re-checked cluster {cluster.Name}: {(report.Passed ? "passed" : "failed")}"), clock.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        await TrimHistoryAsync(db, cluster.Id, ct);
        events.Publish(cluster.Name);
        return report;
    }

    public async Task<bool> DeleteAsync(string name, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Clusters.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (existing is null)
        {
            return false;
        }

        // The row and its audit record go in one SaveChanges; the database cascades to the cluster's dependent rows.
        db.Clusters.Remove(existing);
        AuditLog.Stage(db, who, new AuditEvent("cluster.deleted", "cluster", name, $"Deleted cluster {name}", Before: Shape(existing)), clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted by someone else between the read and the save: nothing was deleted (or audited) here.
            return false;
        }

        clients.Evict(existing.Id);
        LogDeleted(logger, name);
        events.Publish(name);
        sync?.RequestSync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), $"cluster {name} deleted");
        return true;
    }

    internal async Task<List<ClusterEntity>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
    }

    /// <summary>All clusters, each with only its latest check run loaded (two queries, whatever the count).</summary>
    internal async Task<List<ClusterEntity>> ListWithLatestCheckAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var latest = await db.ClusterCheckRuns.AsNoTracking()
            .Where(r => r.Id == db.Set<ClusterCheckRunEntity>().Where(x => x.ClusterId == r.ClusterId).Max(x => x.Id))
            .ToDictionaryAsync(r => r.ClusterId, ct);
        foreach (var cluster in clusters)
        {
            cluster.CheckRuns = latest.TryGetValue(cluster.Id, out var run) ? [run] : [];
        }

        return clusters;
    }

    internal async Task<ClusterEntity?> GetAsync(string name, int historyDepth, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == name, ct);
        if (cluster is not null)
        {
            cluster.CheckRuns = await db.ClusterCheckRuns.AsNoTracking()
                .Where(r => r.ClusterId == cluster.Id)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Take(historyDepth).ToListAsync(ct);
        }

        return cluster;
    }

    public static IReadOnlyList<CheckStage> ReadStages(ClusterCheckRunEntity run) =>
        JsonSerializer.Deserialize<List<CheckStage>>(run.StagesJson, StageJson) ?? [];

    private void ApplyReport(ClusterEntity cluster, ConnectionCheckReport report, string trigger)
    {
        var facts = report.Facts;
        cluster.KubernetesVersion = facts.KubernetesVersion ?? cluster.KubernetesVersion;
        cluster.IstioVersion = facts.IstioVersion ?? cluster.IstioVersion;
        cluster.GatewayAddress = facts.GatewayAddress ?? cluster.GatewayAddress;
        cluster.GatewayPort = facts.GatewayPort ?? cluster.GatewayPort;
        cluster.IstioCoreDnsAddress = facts.IstioCoreDnsAddress ?? cluster.IstioCoreDnsAddress;
        cluster.DnsProvider = facts.DnsProvider ?? cluster.DnsProvider;
        if (facts.Mesh is not null)
        {
            cluster.MeshFactsJson = MeshFactsJson.Serialize(facts.Mesh);
        }
        if (report.Stages.Any(s => s.Id == CheckStageIds.Dns && s.Result == CheckResult.Pass))
        {
            cluster.DnsProxying = facts.DnsProxying;
        }
        else if (report.Stages.Any(s => s.Id == CheckStageIds.IstioControlPlane && s.Result == CheckResult.Pass))
        {
            cluster.DnsProxying = false;
        }

        cluster.LastCheckedAt = report.StartedAt;
        cluster.LastCheckPassed = report.Passed;
        cluster.LastFailedStage = report.Stages.FirstOrDefault(s => s.Result == CheckResult.Fail)?.Id;
        cluster.CheckRuns.Add(new ClusterCheckRunEntity
        {
            StartedAt = report.StartedAt,
            Passed = report.Passed,
            Trigger = trigger,
            StagesJson = JsonSerializer.Serialize(report.Stages, StageJson),
        });
    }

    private static async Task TrimHistoryAsync(MeshPortalDbContext db, int clusterId, CancellationToken ct)
    {
        var keepFrom = await db.ClusterCheckRuns.Where(r => r.ClusterId == clusterId)
            .OrderByDescending(r => r.Id).Skip(CheckHistoryDepth).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
        if (keepFrom is { } id)
        {
            await db.ClusterCheckRuns.Where(r => r.ClusterId == clusterId && r.Id <= id).ExecuteDeleteAsync(ct);
        }
    }

    private async Task<bool> NameTakenAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Clusters.AnyAsync(c => c.Name == name, ct);
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors[field] = [message];
        }
    }

    /// <summary>What the audit log keeps of a cluster: never the kubeconfig.</summary>
    private static object Shape(ClusterEntity c) => new { c.Name, c.Server, c.Context, c.Network, c.Region, c.PeerApiServer, c.CredentialVersion };

    private static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Name} registered by {Trigger}; connection check passed: {Passed}")]
    private static partial void LogRegistered(ILogger logger, string name, string trigger, bool passed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Name} deleted")]
    private static partial void LogDeleted(ILogger logger, string name);
}
