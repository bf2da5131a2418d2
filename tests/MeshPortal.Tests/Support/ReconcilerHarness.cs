using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Support;

/// <summary>
/// The reconciler from the portal's own registration (<see cref="ServiceHarness"/>), without Hangfire or a web host: a real
/// SQLite file (migrated), the real cluster gateway, simulated clusters over HTTPS. The one override: the desired state comes
/// from <see cref="FakeSource"/> alone (with <c>exports: true</c> also the real exports source, and clusters registered with
/// their gateway addresses).
/// </summary>
internal sealed class ReconcilerHarness : IAsyncDisposable
{
    private readonly ServiceHarness services;

    private ReconcilerHarness(SimulatedMesh mesh, ServiceHarness services, FakeSource source)
    {
        Mesh = mesh;
        this.services = services;
        Source = source;
    }

    public SimulatedMesh Mesh { get; }

    public FakeSource Source { get; }

    public Dictionary<string, int> ClusterIds { get; } = [];

    public IServiceProvider Services => services.Services;

    public static async Task<ReconcilerHarness> StartAsync(int clusters = 1, int requestTimeoutSeconds = 3, int concurrency = 8, bool exports = false, int historyDepth = 100)
    {
        var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = clusters, AdminEndpoint = false });
        var source = new FakeSource();
        var harness = await ServiceHarness.StartAsync(
            new Dictionary<string, string?>
            {
                ["MeshPortal:Clusters:RequestTimeoutSeconds"] = ServiceHarness.Number(requestTimeoutSeconds),
                ["MeshPortal:Sync:ApplyConcurrency"] = ServiceHarness.Number(concurrency),
                ["MeshPortal:Sync:HistoryDepth"] = ServiceHarness.Number(historyDepth),
            },
            s =>
            {
                foreach (var other in s.Where(d => d.ServiceType == typeof(IDesiredStateSource) && !(exports && d.ImplementationType == typeof(ExportSource))).ToList())
                {
                    s.Remove(other);
                }

                s.AddSingleton<IDesiredStateSource>(source);
            });
        var result = new ReconcilerHarness(mesh, harness, source);
        foreach (var c in mesh.Clusters)
        {
            result.ClusterIds[c.Name] = await result.RegisterAsync(c);
        }

        return result;
    }

    public Task<MeshPortalDbContext> DbAsync() => services.DbAsync();

    public async Task<SyncResult> SyncAsync(string cluster = "cluster-1", string trigger = "test")
    {
        await using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(ClusterIds[cluster], trigger, CancellationToken.None);
    }

    /// <summary>What the recurring sync-all job runs: one batch over every cluster.</summary>
    public async Task<IReadOnlyList<SyncResult>> SyncAllAsync(string trigger = "schedule")
    {
        await using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileManyAsync([.. ClusterIds.Values], trigger, CancellationToken.None);
    }

    public async Task<List<ManagedObjectEntity>> RowsAsync(string cluster = "cluster-1")
    {
        await using var db = await DbAsync();
        var id = ClusterIds[cluster];
        return await db.ManagedObjects.AsNoTracking().Where(m => m.ClusterId == id).ToListAsync();
    }

    private async Task<int> RegisterAsync(SimulatedCluster c)
    {
        var protector = services.Get<SecretProtector>();
        await using var db = await DbAsync();
        var entity = new ClusterEntity
        {
            Name = c.Name,
            Context = c.Name,
            Server = c.Server.ToString(),
            ProtectedKubeconfig = protector.ProtectKubeconfig(c.KubeconfigYaml),
            IstioVersion = c.IstioVersion,
            GatewayAddress = c.GatewayLoadBalancerIp ?? c.NodeIp,
        };
        await Support.CheckedFacts.ApplyAsync(entity, c);
        db.Clusters.Add(entity);
        await db.SaveChangesAsync();
        return entity.Id;
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Mesh.DisposeAsync();
    }
}

/// <summary>A desired-state source under the test's control.</summary>
internal sealed class FakeSource : IDesiredStateSource, IClusterPlanner
{
    public string Name => "fake";

    public List<DesiredObject> Objects { get; } = [];

    public List<string> Notes { get; } = [];

    public List<ObjectRef> ReadsWanted { get; } = [];

    public bool FailToLoad { get; set; }

    /// <summary>What <see cref="InputKey"/> answers (null: the planner is asked on every push, like an unkeyed one).</summary>
    public string? Key { get; set; }

    /// <summary>How many times <see cref="Plan"/> was asked.</summary>
    public int Plans => plans;

    private int plans;

    public string? InputKey(ClusterTarget cluster) => Key;

    public Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct) =>
        FailToLoad ? throw new InvalidOperationException("the export table could not be read") : Task.FromResult<IClusterPlanner>(this);

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => ReadsWanted;

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        Interlocked.Increment(ref plans);
        return new([.. Objects], [.. Notes]);
    }
}

/// <summary>Desired objects in the shapes the trust and exports planners produce.</summary>
internal static class Desired
{
    public static readonly ObjectRef GlobalNamespace = new("", "v1", "namespaces", "Namespace", null, "meshportal-global");

    public static DesiredObject Namespace(string name = "meshportal-global") =>
        new(GlobalNamespace with { Name = name }, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, "exports", ApplyMode.CreateOnly);

    public static DesiredObject ConfigMap(string name, string ns = "default", string value = "1", string source = "test") =>
        new(new ObjectRef("", "v1", "configmaps", "ConfigMap", ns, name),
            new JsonObject { ["metadata"] = new JsonObject(), ["data"] = new JsonObject { ["value"] = value } }, source);

    public static DesiredObject Secret(string name, string ns = "istio-system", string key = "secret-key-material") =>
        new(new ObjectRef("", "v1", "secrets", "Secret", ns, name),
            new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["type"] = "Opaque",
                ["data"] = new JsonObject { ["ca-key.pem"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key)) },
            }, "trust");

    public static DesiredObject ServiceEntry(string host, string vip, string ns = "meshportal-global", string version = "v1alpha3", string source = "export/1", int port = 8000)
    {
        var name = host.Replace('.', '-');
        return new DesiredObject(new ObjectRef("networking.istio.io", version, "serviceentries", "ServiceEntry", ns, name),
            JsonNode.Parse($$$"""
            {
              "metadata": {},
              "spec": {
                "hosts": ["{{{host}}}"],
                "location": "MESH_INTERNAL",
                "ports": [{"name": "http1", "number": {{{port}}}, "protocol": "http"}],
                "resolution": "DNS",
                "addresses": ["{{{vip}}}"],
                "endpoints": [{"address": "203.0.113.2", "ports": {"http1": 15443}}],
                "exportTo": ["*"]
              }
            }
            """)!.AsObject(), source);
    }
}
