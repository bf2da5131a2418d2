using System.Text;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Support;

/// <summary>
/// Trust end to end without a web host, from the portal's own registration (<see cref="ServiceHarness"/>): its own migrated
/// SQLite file, its own 2-cluster simulated mesh over HTTPS, the real trust services and the real reconciler; pushes are
/// recorded, and the test decides when each cluster is pushed.
/// </summary>
internal sealed class TrustHarness : IAsyncDisposable
{
    private readonly ServiceHarness services;

    private TrustHarness(SimulatedMesh mesh, ServiceHarness services)
    {
        Mesh = mesh;
        this.services = services;
    }

    public SimulatedMesh Mesh { get; }

    /// <summary>The pushes trust asked for (the test pushes by itself).</summary>
    public RecordingScheduler Requests => services.Pushes;

    public Dictionary<string, int> ClusterIds { get; } = [];

    public IServiceProvider Services => services.Services;

    public static Task<TrustHarness> StartAsync(int inlineIssueBudgetMilliseconds = 3000) =>
        StartAsync(new SimulatorOptions { Clusters = 2, AdminEndpoint = false }, inlineIssueBudgetMilliseconds);

    public static async Task<TrustHarness> StartAsync(SimulatorOptions options, int inlineIssueBudgetMilliseconds = 3000)
    {
        var mesh = await SimulatedMesh.StartAsync(options);
        var harness = new TrustHarness(mesh, await ServiceHarness.StartAsync(new Dictionary<string, string?>
        {
            ["MeshPortal:Clusters:RequestTimeoutSeconds"] = "5",
            ["MeshPortal:Trust:InlineIssueBudgetMilliseconds"] = ServiceHarness.Number(inlineIssueBudgetMilliseconds),
        }));
        await mesh.WriteKubeconfigAsync(harness.KubeconfigPath);
        await using (var db = await harness.DbAsync())
        {
            foreach (var c in mesh.Clusters)
            {
                var entity = new ClusterEntity
                {
                    Name = c.Name, Context = c.Name, Server = c.Server.ToString(), IstioVersion = c.IstioVersion,
                    ProtectedKubeconfig = harness.services.Get<SecretProtector>().ProtectKubeconfig(c.KubeconfigYaml),
                };
                db.Clusters.Add(entity);
                await db.SaveChangesAsync();
                harness.ClusterIds[c.Name] = entity.Id;
            }
        }

        return harness;
    }

    public AsyncServiceScope CreateScope() => services.CreateScope();

    /// <summary>A kubeconfig with one context per simulated cluster, for real kubectl.</summary>
    public string KubeconfigPath => Path.Combine(services.DataDirectory, "kubeconfig");

    /// <summary>
    /// Does what the Trust page asks for <paramref name="cluster"/> until every proxy holds a certificate from the current cacerts: push
    /// when it waits for the push, restart istiod when told, press "restart gateways", run the listed kubectl commands (real kubectl).
    /// <paramref name="step"/> runs after every action (the tests probe there).
    /// </summary>
    public async Task<ClusterRollout> RollOutAsync(string cluster, Func<string, Task> step)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var scope = CreateScope();
            var rollout = (await scope.ServiceProvider.GetRequiredService<TrustRollout>().ObserveAsync(cluster, default))!;
            Assert.Null(rollout.Error);
            var advice = rollout.Advice!;
            if (advice.CanAdvance && (rollout.Phase is null || rollout.LivePhase == rollout.Phase))
            {
                return rollout;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"{cluster} did not roll out: {advice.Step}: {advice.Message}");
            var who = new MeshPortal.Core.Platform.Audit.AuditContext("test-admin");
            switch (advice.Step)
            {
                case RolloutStep.WaitForPush:
                case RolloutStep.Ready: // the cacerts of the current phase is not in the cluster yet
                    await PushAsync(cluster);
                    break;
                case RolloutStep.RestartIstiod:
                    var restarted = await scope.ServiceProvider.GetRequiredService<IstiodRestarter>().RestartAsync(cluster, who, default);
                    Assert.True(restarted.Succeeded, restarted.Message);
                    break;
                case RolloutStep.RestartPods when advice.GatewayDeployments.Count > 0:
                    var gateways = await scope.ServiceProvider.GetRequiredService<TrustRollout>().RestartGatewaysAsync(cluster, who, default);
                    Assert.True(gateways.Succeeded, gateways.Message);
                    break;
                case RolloutStep.RestartPods:
                    foreach (var command in advice.Commands)
                    {
                        await MeshPortal.Tests.Support.Kubectl.RunAsync(KubeconfigPath, cluster, command);
                        await step($"{cluster}: {command}");
                    }

                    break;
            }

            await step($"{cluster}: {advice.Step}");
        }
    }

    /// <summary>The whole root transition of both clusters, phase by phase, with <paramref name="step"/> after every action.</summary>
    public async Task CompleteTransitionAsync(Func<string, Task> step)
    {
        var clusters = ClusterIds.Keys.Order().ToList();
        while (true)
        {
            var next = new List<string>();
            foreach (var cluster in clusters)
            {
                await PushAsync(cluster);
                await step($"{cluster} pushed");
                var rollout = await RollOutAsync(cluster, step);
                if (rollout.NextPhase is not null)
                {
                    next.Add(cluster);
                }
            }

            if (next.Count == 0)
            {
                return;
            }

            foreach (var cluster in next)
            {
                await using var scope = CreateScope();
                var advanced = await scope.ServiceProvider.GetRequiredService<TrustRollout>().AdvanceAsync(cluster, false, new MeshPortal.Core.Platform.Audit.AuditContext("test-admin"), default);
                Assert.True(advanced.Succeeded, advanced.Message);
                await step($"{cluster}: {advanced.Message}");
            }
        }
    }

    /// <summary>sleep → httpbin inside each cluster answers 200 (never broken by a roll-out).</summary>
    public async Task AssertInClusterCurlsWorkAsync(string when)
    {
        foreach (var cluster in ClusterIds.Keys.Order())
        {
            var (_, local) = await PortalApi.CurlFromSleepAsync(Mesh[cluster], "-sS", "-i", "http://httpbin.bar:8000/headers");
            Assert.True(local.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"{when}: in-cluster curl in {cluster} failed: {local[..Math.Min(400, local.Length)]}");
        }
    }

    public async Task<string> RootPemAsync(RootState state)
    {
        await using var db = await DbAsync();
        return (await db.MeshRoots.SingleAsync(r => r.State == state)).CertificatePem;
    }

    public Task<MeshPortalDbContext> DbAsync() => services.DbAsync();

    /// <summary>Runs <paramref name="action"/> with a scoped <see cref="TrustService"/>, as a request would.</summary>
    public async Task<TrustOutcome> TrustAsync(Func<TrustService, Task<TrustOutcome>> action)
    {
        await using var scope = services.CreateScope();
        var outcome = await action(scope.ServiceProvider.GetRequiredService<TrustService>());
        Assert.True(outcome.Succeeded, outcome.Message);
        return outcome;
    }

    public async Task<TrustStatus> StatusAsync()
    {
        await using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TrustStatusReader>().ReadAsync(CancellationToken.None);
    }

    /// <summary>One push of one simulated cluster through the real reconciler; it must succeed.</summary>
    public async Task PushAsync(string cluster)
    {
        await using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(ClusterIds[cluster], "test", CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
    }

    /// <summary>A file of the cluster's in-cluster <c>istio-system/cacerts</c>.</summary>
    public string CacertsFile(string cluster, string file) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)Mesh[cluster].Get("", "secrets", "istio-system", "cacerts")!["data"]![file]!));

    /// <summary>The seed's ServiceEntry and DNS stub in cluster-1 for httpbin.bar.global (served by cluster-2's gateway).</summary>
    public void SeedCrossClusterRoute() => SeedServiceEntryAndDns(Mesh);

    public bool CrossClusterRouteSeeded => Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "foo", "trust-httpbin-bar") is not null;

    /// <summary>curl from cluster-1's sleep pod to httpbin in cluster-2; returns the HTTP status line or the error.</summary>
    public async Task<string> CurlAsync()
    {
        var (_, output) = await PortalApi.CurlFromSleepAsync(Mesh["cluster-1"], "-sS", "-i", "http://httpbin.bar.global:8000/headers");
        return output;
    }

    public async Task AssertCurlWorksAsync(string when)
    {
        var output = await CurlAsync();
        Assert.True(output.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"{when}: {output[..Math.Min(400, output.Length)]}");
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Mesh.DisposeAsync();
    }

    /// <summary>The seed's ServiceEntry for httpbin.bar.global (endpoint: cluster-2's gateway on 15443) and the CoreDNS global stub, put directly.</summary>
    public static void SeedServiceEntryAndDns(SimulatedMesh mesh)
    {
        var c1 = mesh["cluster-1"];
        var gateway = mesh["cluster-2"].GatewayLoadBalancerIp!;
        c1.Put($$$"""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"ServiceEntry","metadata":{"name":"trust-httpbin-bar","namespace":"foo"},
             "spec":{"hosts":["httpbin.bar.global"],"location":"MESH_INTERNAL","ports":[{"name":"http1","number":8000,"protocol":"http"}],
               "resolution":"DNS","addresses":["240.0.0.2"],"endpoints":[{"address":"{{{gateway}}}","ports":{"http1":15443}}]}}
            """);
        var dnsIp = (string)c1.Get("", "services", "istio-system", "istiocoredns")!["spec"]!["clusterIP"]!;
        var coredns = c1.Get("", "configmaps", "kube-system", "coredns")!;
        var corefile = (string)coredns["data"]!["Corefile"]!;
        if (!corefile.Contains("global:53", StringComparison.Ordinal))
        {
            coredns["data"]!["Corefile"] = corefile + $"global:53 {{\n    errors\n    cache 30\n    forward . {dnsIp}:53\n}}\n";
            coredns["metadata"]!.AsObject().Remove("resourceVersion");
            c1.Put(coredns);
        }
    }
}
