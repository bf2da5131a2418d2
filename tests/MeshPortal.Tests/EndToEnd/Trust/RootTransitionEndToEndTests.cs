using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.EndToEnd.Trust;

/// <summary>
/// A mesh running on self-signed roots (istiod's istio-ca-secret in each cluster, workloads serving) gets the shared root through the
/// portal's root transition, driven the way a user drives it: push, restart istiod when the roll-out says so, press "restart gateways",
/// run the listed <c>kubectl rollout restart</c> commands with real kubectl, advance the phase. After EVERY step the test probes: sleep →
/// httpbin inside each cluster must answer 200, and the cross-cluster curl, once 200, must never fail again, and ends 200.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class RootTransitionEndToEndTests
{
    private static readonly AuditContext Admin = new("test-admin");

    [Fact]
    public async Task Self_signed_1_6_8_mesh_gets_the_shared_root_without_a_failed_probe_at_any_step()
    {
        await using var h = await TrustHarness.StartAsync(new SimulatorOptions { Clusters = 2, AdminEndpoint = false });
        TrustHarness.SeedServiceEntryAndDns(h.Mesh); // the seed's httpbin.bar.global export, cluster-1 → cluster-2
        await RunAsync(h, "http://httpbin.bar.global:8000/headers");
    }

    [Fact]
    public async Task Self_signed_1_24_multi_primary_mesh_gets_the_shared_root_without_a_failed_probe_at_any_step()
    {
        SimulatedClusterOptions Options(int i) => new()
        {
            Name = $"cluster-{i}", IstioVersion = "1.24.3", MeshId = "mesh1", ClusterId = $"cluster-{i}",
            Network = $"network{i}", GlobalNetwork = $"network{i}", EastWestGateway = true,
        };

        await using var h = await TrustHarness.StartAsync(new SimulatorOptions { Clusters = 0, AdminEndpoint = false, ClusterOverrides = [Options(1), Options(2)] });
        MultiPrimaryRecipe.Apply(h.Mesh);
        await RunAsync(h, $"http://{MultiPrimaryRecipe.RemoteHost}:8000/headers");
    }

    private static async Task RunAsync(TrustHarness h, string crossUrl)
    {
        var probe = new Prober(h.Mesh, crossUrl);
        {
            await probe.StepAsync("self-signed, before any root");
            Assert.Contains("CERTIFICATE_VERIFY_FAILED", probe.LastCross); // two self-signed roots: no cross-cluster mTLS yet

            await h.TrustAsync(t => t.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), Admin, default));
            var clusters = new[] { "cluster-1", "cluster-2" };
            for (var phase = TransitionPhase.Bundle; ; phase++)
            {
                foreach (var cluster in clusters)
                {
                    await h.PushAsync(cluster);
                    await probe.StepAsync($"phase {phase}: {cluster} pushed");
                }

                foreach (var cluster in clusters)
                {
                    var rollout = await h.RollOutAsync(cluster, probe.StepAsync);
                    Assert.Equal(phase, rollout.Phase);
                    Assert.Equal(phase, rollout.LivePhase);
                }

                var status = await h.StatusAsync();
                Assert.All(status.Clusters, c => Assert.Equal(phase, c.Transition));
                if (phase == TransitionPhase.Done)
                {
                    break;
                }

                foreach (var cluster in clusters)
                {
                    await using var scope = h.CreateScope();
                    var advanced = await scope.ServiceProvider.GetRequiredService<TrustRollout>().AdvanceAsync(cluster, force: false, Admin, default);
                    Assert.True(advanced.Succeeded, advanced.Message);
                    await probe.StepAsync($"phase {phase + 1} started in {cluster}");
                }
            }

            // The end state: every cacerts carries the mesh root only, signs with the mesh intermediate, and cross-cluster mTLS works.
            var root = await h.RootPemAsync(RootState.Active);
            foreach (var cluster in clusters)
            {
                Assert.Equal(root.Trim() + "\n", h.CacertsFile(cluster, "root-cert.pem"));
            }

            Assert.True(probe.CrossOk, $"cross-cluster curl at the end: {probe.LastCross}");
            Assert.True(probe.Steps > 10, $"only {probe.Steps} probed steps");
        }
    }

    /// <summary>The probes of every step: in-cluster curls must answer 200; the cross-cluster one must not regress once 200.</summary>
    private sealed class Prober(SimulatedMesh mesh, string crossUrl)
    {
        public bool CrossOk { get; private set; }

        public string LastCross { get; private set; } = "";

        public int Steps { get; private set; }

        public async Task StepAsync(string step)
        {
            Steps++;
            foreach (var cluster in new[] { "cluster-1", "cluster-2" })
            {
                var (_, local) = await PortalApi.CurlFromSleepAsync(mesh[cluster], "-sS", "-i", "http://httpbin.bar:8000/headers");
                Assert.True(local.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"{step}: in-cluster curl in {cluster} failed: {Head(local)}");
            }

            var (_, cross) = await PortalApi.CurlFromSleepAsync(mesh["cluster-1"], "-sS", "-i", crossUrl);
            LastCross = Head(cross);
            var ok = cross.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
            Assert.False(CrossOk && !ok, $"{step}: the cross-cluster curl regressed after it worked: {LastCross}");
            CrossOk |= ok;
        }

        private static string Head(string s) => s[..Math.Min(400, s.Length)];
    }
}

/// <summary>
/// The docs' multi-primary, multi-network recipe on two simulated 1.24 clusters (as a user applies it; istio.io
/// docs/setup/install/multicluster/multi-primary_multi-network): network label, the cross-network Gateway, remote secrets. httpbin in
/// a namespace <c>baz</c> runs in cluster-2 only (cluster-1 has its Service for the name), so a curl to it must cross clusters.
/// </summary>
[Trait("Speed", "EndToEnd")]
internal static class MultiPrimaryRecipe
{
    public const string RemoteHost = "httpbin.baz.svc.cluster.local";

    public static void Apply(SimulatedMesh mesh)
    {
        foreach (var (cluster, peer, i) in new[] { ("cluster-1", "cluster-2", 1), ("cluster-2", "cluster-1", 2) })
        {
            var c = mesh[cluster];
            var ns = c.Get("", "namespaces", null, "istio-system")!;
            ns["metadata"]!["labels"] ??= new JsonObject();
            ns["metadata"]!["labels"]!["topology.istio.io/network"] = $"network{i}";
            Clean(ns);
            c.Put(ns);
            c.Put("""
                {"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"cross-network-gateway","namespace":"istio-system"},
                 "spec":{"selector":{"istio":"eastwestgateway"},
                   "servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.local"]}]}}
                """);
            RemoteSecret(mesh, cluster, peer);
            Copy(c, "", "namespaces", null, "bar", "baz");
            foreach (var sa in c.List("", "serviceaccounts", "bar").Where(s => (string?)s["metadata"]!["name"] != "default"))
            {
                Copy(c, "", "serviceaccounts", "bar", (string)sa["metadata"]!["name"]!, "baz");
            }

            Copy(c, "", "services", "bar", "httpbin", "baz");
            if (cluster == "cluster-2")
            {
                Copy(c, "apps", "deployments", "bar", "httpbin", "baz");
            }
        }
    }

    private static void Copy(SimulatedCluster c, string group, string plural, string? ns, string name, string to)
    {
        var obj = c.Get(group, plural, ns, name)!;
        Clean(obj);
        if (ns is null)
        {
            obj["metadata"]!["name"] = to;
        }
        else
        {
            obj["metadata"]!["namespace"] = to;
        }

        if (plural == "services")
        {
            obj["spec"]!.AsObject().Remove("clusterIP");
            obj["spec"]!.AsObject().Remove("clusterIPs");
        }

        c.Put(obj);
    }

    private static void Clean(JsonObject obj)
    {
        var meta = obj["metadata"]!.AsObject();
        foreach (var key in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "ownerReferences" })
        {
            meta.Remove(key);
        }

        obj.Remove("status");
    }

    /// <summary>What <c>istioctl create-remote-secret --name=&lt;peer&gt;</c> writes: the peer's reader token in a kubeconfig for its API server.</summary>
    private static void RemoteSecret(SimulatedMesh mesh, string into, string peer)
    {
        var target = mesh[peer];
        const string tokenSecret = "istio-reader-service-account-istio-remote-secret-token";
        if (target.Get("", "secrets", "istio-system", tokenSecret) is null)
        {
            target.Put(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/service-account-token",
                ["metadata"] = new JsonObject
                {
                    ["name"] = tokenSecret, ["namespace"] = "istio-system",
                    ["annotations"] = new JsonObject { ["kubernetes.io/service-account.name"] = "istio-reader-service-account" },
                },
            });
        }

        var token = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)target.Get("", "secrets", "istio-system", tokenSecret)!["data"]!["token"]!));
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(target.CaCertificatePem))}
                server: {target.Server.ToString().TrimEnd('/')}
              name: {peer}
            contexts:
            - context:
                cluster: {peer}
                user: {peer}
              name: {peer}
            current-context: {peer}
            users:
            - name: {peer}
              user:
                token: {token}
            """;
        mesh[into].Put(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"istio-remote-secret-{peer}", ["namespace"] = "istio-system",
                ["labels"] = new JsonObject { ["istio/multiCluster"] = "true" },
                ["annotations"] = new JsonObject { ["networking.istio.io/cluster"] = peer },
            },
            ["stringData"] = new JsonObject { [peer] = kubeconfig },
        });
    }
}
