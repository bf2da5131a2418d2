using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Names of the canary: in every cluster a Service <c>canary-&lt;cluster&gt;</c> (port 8000, like the seed's httpbin) and an
/// httpbin Pod in the sidecar-injected namespace <c>meshportal-canary</c>, exported to every other cluster as
/// <c>canary-&lt;cluster&gt;.meshportal-canary.global</c>. Canary exports are ordinary exports marked by <see cref="Actor"/>.
/// </summary>
public static class CanaryNames
{
    public const string Source = "canary";
    public const string Namespace = "meshportal-canary";
    public const string PodName = "meshportal-canary";
    public const string AppLabel = "app";
    public const string AppValue = "meshportal-canary";
    public const string DefaultImage = "docker.io/mccutchen/go-httpbin:v2.15.0";
    public const int Port = 8000;

    /// <summary>go-httpbin listens on 8080 (its <c>PORT</c> default, as in Istio's samples/httpbin/httpbin.yaml).</summary>
    public const int TargetPort = 8080;

    /// <summary>The <c>CreatedBy</c> of canary exports (no person can have this name: it contains a colon).</summary>
    public const string Actor = "meshportal:canary";

    public static string Service(string clusterName)
    {
        var name = "canary-" + clusterName;
        return name.Length <= 63 ? name : name[..63].TrimEnd('-');
    }

    public static string Host(string clusterName) => ExportNames.Host(Service(clusterName), Namespace);
}

/// <summary>Pure planner: when the canary is on, every cluster gets the canary namespace, Service and Pod (all owned, pruned when off).</summary>
public sealed class CanaryPlanner(bool enabled, string image = CanaryNames.DefaultImage) : IClusterPlanner
{
    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        if (!enabled)
        {
            return PlanContribution.None;
        }

        var selector = new JsonObject { [CanaryNames.AppLabel] = CanaryNames.AppValue };
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = selector.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["selector"] = selector.DeepClone(),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = CanaryNames.Port, ["targetPort"] = CanaryNames.TargetPort }),
            },
        };
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = selector.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "httpbin",
                    ["image"] = image,
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = CanaryNames.TargetPort }),
                }),
                ["terminationGracePeriodSeconds"] = 0,
            },
        };
        return new PlanContribution(
        [
            new DesiredObject(ProbePod.NamespaceRef(CanaryNames.Namespace), ProbePod.InjectedNamespace(CanaryNames.Namespace), CanaryNames.Source),
            new DesiredObject(ProbePod.ServiceRef(CanaryNames.Namespace, CanaryNames.Service(cluster.Name)), service, CanaryNames.Source),
            new DesiredObject(ProbePod.PodRef(CanaryNames.Namespace, CanaryNames.PodName), pod, CanaryNames.Source),
        ], []);
    }
}

/// <summary>The "canary" desired-state source: reads the mesh-wide setting.</summary>
public sealed class CanarySource(Microsoft.Extensions.Options.IOptions<ProbeOptions> options) : IDesiredStateSource
{
    public string Name => CanaryNames.Source;

    public async Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct) =>
        new CanaryPlanner(await CanaryService.IsEnabledAsync(db, ct), options.Value.CanaryImage);
}

/// <summary>
/// Turns the canary on or off and keeps its exports in line with the registered clusters: one export per cluster, consumed by
/// all others, through the same export → planner → gateway path as any export. Called by the setting and by every probe cycle
/// (so clusters registered later get their canary).
/// </summary>
public sealed class CanaryService(IDbContextFactory<MeshPortalDbContext> dbFactory, VipAllocator vips, ISyncScheduler sync, TimeProvider clock, ClusterLocks locks)
{
    public const string Trigger = "canary";

    public static async Task<bool> IsEnabledAsync(MeshPortalDbContext db, CancellationToken ct) =>
        await db.MeshSettings.AsNoTracking().Where(s => s.Id == MeshSettingsEntity.SingletonId).Select(s => s.CanaryEnabled).SingleOrDefaultAsync(ct);

    public async Task<bool> IsEnabledAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await IsEnabledAsync(db, ct);
    }

    /// <summary>
    /// Stores the setting, then keeps the exports in line. <paramref name="alsoSave"/> adds rows (the caller's audit record)
    /// to the same SaveChanges as the setting, with the time of the change.
    /// </summary>
    public async Task SetEnabledAsync(bool enabled, string actor, Action<MeshPortalDbContext, DateTimeOffset>? alsoSave, CancellationToken ct)
    {
        // Turning the canary on/off and the per-cycle upkeep take one lock (across replicas on PostgreSQL), so an upkeep that
        // read "on" cannot insert exports after "off" has removed them (or two upkeeps insert the same host twice).
        await using var held = await locks.AcquireAsync(ClusterLockScope.Canary, 0, ct);
        await SetEnabledLockedAsync(enabled, actor, alsoSave, ct);
        await EnsureExportsLockedAsync(ct);
    }

    /// <summary>Creates the missing canary exports (canary on) or deletes them all (off); asks for a push when anything changed.</summary>
    /// <returns>How many exports were created or deleted.</returns>
    public async Task<int> EnsureExportsAsync(CancellationToken ct)
    {
        await using var held = await locks.AcquireAsync(ClusterLockScope.Canary, 0, ct);
        return await EnsureExportsLockedAsync(ct);
    }

    private async Task SetEnabledLockedAsync(bool enabled, string actor, Action<MeshPortalDbContext, DateTimeOffset>? alsoSave, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.MeshSettings.SingleOrDefaultAsync(s => s.Id == MeshSettingsEntity.SingletonId, ct);
            if (row is null)
            {
                row = new MeshSettingsEntity();
                db.MeshSettings.Add(row);
            }

            var changed = row.CanaryEnabled != enabled;
            row.CanaryEnabled = enabled;
            row.UpdatedBy = actor;
            row.UpdatedAt = clock.GetUtcNow();
            alsoSave?.Invoke(db, row.UpdatedAt);
            await db.SaveChangesAsync(ct);
            if (changed)
            {
                sync.RequestSync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), Trigger);
            }
        }
    }

    private async Task<int> EnsureExportsLockedAsync(CancellationToken ct)
    {
        List<ClusterEntity> clusters;
        List<ExportEntity> existing;
        bool enabled;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            enabled = await IsEnabledAsync(db, ct);
            clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
            existing = await db.Exports.Where(e => e.CreatedBy == CanaryNames.Actor).ToListAsync(ct);
            var unwanted = enabled ? existing.Where(e => clusters.All(c => c.Id != e.ClusterId)).ToList() : existing;
            if (unwanted.Count > 0)
            {
                db.Exports.RemoveRange(unwanted);
                await db.SaveChangesAsync(ct);
            }

            if (!enabled)
            {
                if (unwanted.Count > 0)
                {
                    sync.RequestSync(clusters.Select(c => c.Id).ToList(), Trigger);
                }

                return unwanted.Count;
            }

            existing = existing.Except(unwanted).ToList();
        }

        var now = clock.GetUtcNow();
        var created = 0;
        foreach (var cluster in clusters.Where(c => existing.All(e => e.ClusterId != c.Id)))
        {
            await vips.InsertAsync(dbFactory, address => new ExportEntity
            {
                ClusterId = cluster.Id,
                Namespace = CanaryNames.Namespace,
                Service = CanaryNames.Service(cluster.Name),
                Host = CanaryNames.Host(cluster.Name),
                Address = address,
                AllConsumers = true,
                CreatedBy = CanaryNames.Actor,
                CreatedAt = now,
                UpdatedAt = now,
                Ports = [new ExportPortEntity { Name = "http", Number = CanaryNames.Port, Protocol = "HTTP" }],
            }, ct);
            created++;
        }

        if (created > 0)
        {
            sync.RequestSync(clusters.Select(c => c.Id).ToList(), Trigger);
        }

        return created;
    }
}
