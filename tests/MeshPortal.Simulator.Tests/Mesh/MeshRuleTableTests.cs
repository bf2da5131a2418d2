using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Tests.Exec;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// The seed's <c>.global</c> path on Istio 1.6.8 with the multicluster-gateways overlay: the working setup answers 200 for real reasons
/// (each object checked); removing each precondition in turn gives its own failure, both as the mesh's verdict and as what
/// <c>curl</c> in the sleep pod prints.
/// </summary>
public sealed class MeshRuleTableTests
{
    private const string Probe = "curl -sS -o /dev/null --max-time 5 -w '%{http_code} %{exitcode}\\n' httpbin.bar.global:8000/headers";

    /// <summary>Every rule on every release where the overlay's .global path exists (1.6 as seeded; 1.8 with router mode sni-dnat).</summary>
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in new[] { "1.6.8", "1.7.8", "1.8.0" })
            {
                foreach (var name in Table.Keys)
                {
                    data.Add(version, name);
                }
            }

            return data;
        }
    }

    private static readonly Dictionary<string, (Action<World> Break, MeshVerdict Verdict, string Stdout)> Table = new()
    {
        ["seed works"] = (_ => { }, MeshVerdict.Ok, "200 0\n"),
        ["no ServiceEntry"] = (w => w["cluster-1"].Delete("networking.istio.io", "serviceentries", "foo", "httpbin-bar"), MeshVerdict.NotResolved, "000 6\n"),
        ["ServiceEntry without address"] = (w => Se(w, se => se["spec"]!.AsObject().Remove("addresses")), MeshVerdict.NotResolved, "000 6\n"),
        ["no DNS stub"] = (w => w.Update("cluster-1", "", "configmaps", "kube-system", "kube-dns", cm => cm["data"] = new JsonObject()), MeshVerdict.NotResolved, "000 6\n"),
        ["istiocoredns not running"] = (w => w["cluster-1"].Delete("apps", "deployments", "istio-system", "istiocoredns"), MeshVerdict.NotResolved, "000 6\n"),
        ["DNS broken"] = (w => w["cluster-1"].Faults.DnsBroken = true, MeshVerdict.NotResolved, "000 6\n"),
        ["endpoint is no gateway"] = (w => Se(w, se => se["spec"]!["endpoints"]![0]!["address"] = "198.18.0.9"), MeshVerdict.UnknownEndpoint, "000 28\n"),
        ["gateway port not exposed"] = (w => Se(w, se => se["spec"]!["endpoints"]![0]!["ports"]!["http1"] = 9999), MeshVerdict.GatewayPortWrong, "503 0\n"),
        ["gateway port without a Gateway server"] = (w => Se(w, se => se["spec"]!["endpoints"]![0]!["ports"]!["http1"] = 443), MeshVerdict.PassthroughListenerMissing, "503 0\n"),
        ["ServiceEntry port not the requested one"] = (w => Se(w, se => se["spec"]!["ports"]![0]!["number"] = 9000), MeshVerdict.UnknownHostPassthrough, "000 28\n"),
        ["gateway down"] = (w => w["cluster-2"].Faults.GatewayDown = true, MeshVerdict.GatewayDown, "000 28\n"),
        ["built-in Gateway deleted"] = (w => w["cluster-2"].Delete("networking.istio.io", "gateways", "istio-system", "istio-multicluster-ingressgateway"),
            MeshVerdict.PassthroughListenerMissing, "503 0\n"),
        ["built-in EnvoyFilter deleted"] = (w => w["cluster-2"].Delete("networking.istio.io", "envoyfilters", "istio-system", "istio-multicluster-ingressgateway"),
            MeshVerdict.GatewayClusterMissing, "503 0\n"),
        ["built-in DestinationRule deleted"] = (w => w["cluster-1"].Delete("networking.istio.io", "destinationrules", "istio-system", "istio-multicluster-ingressgateway"),
            MeshVerdict.PlaintextToGateway, "503 0\n"),
        ["gateway router mode standard"] = (w => Env(w, "cluster-2", "istio-ingressgateway", "ISTIO_META_ROUTER_MODE", "standard"), MeshVerdict.GatewayClusterMissing, "503 0\n"),
        ["target Service missing"] = (w => w["cluster-2"].Delete("", "services", "bar", "httpbin"), MeshVerdict.GatewayClusterMissing, "503 0\n"),
        ["target Service without the port"] = (w => w.Update("cluster-2", "", "services", "bar", "httpbin", s => s["spec"]!["ports"]![0]!["port"] = 8080),
            MeshVerdict.GatewayClusterMissing, "503 0\n"),
        ["target has no ready pod"] = (w => w.Update("cluster-2", "apps", "deployments", "bar", "httpbin", d => d["spec"]!["replicas"] = 0), MeshVerdict.GatewayNoEndpoints, "503 0\n"),
        ["target pod without sidecar"] = (w => w.Update("cluster-2", "apps", "deployments", "bar", "httpbin",
            d => d["spec"]!["template"]!["metadata"]!["annotations"] = new JsonObject { ["sidecar.istio.io/inject"] = "false" }), MeshVerdict.TargetWithoutSidecar, "503 0\n"),
        ["target trusts another root"] = (w =>
        {
            w["cluster-2"].Put(TestPki.CacertsSecret(TestPki.Intermediate(TestPki.OtherRoot, "cluster-2"), TestPki.OtherRoot));
            w.RolloutRestart("cluster-2", "istio-system", "istiod");
            w.RolloutRestart("cluster-2", "bar", "httpbin");
        }, MeshVerdict.TrustMismatch, "503 0\n"),
        ["AuthorizationPolicy denies"] = (w => w["cluster-2"].Put(SeedWorld.Obj("""
            {"apiVersion":"security.istio.io/v1beta1","kind":"AuthorizationPolicy","metadata":{"name":"deny-all","namespace":"bar"},
             "spec":{"action":"DENY","rules":[{}]}}
            """)), MeshVerdict.RbacDenied, "403 0\n"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_precondition_has_its_own_answer(string version, string name)
    {
        var (breakIt, verdict, stdout) = Table[name];
        var world = SeedWorld.Build(version);
        breakIt(world);

        var answer = world.Send("httpbin.bar.global", 8000);
        Assert.True(verdict == answer.Verdict, $"{version} {name}: expected {verdict}, got {answer.Verdict}: {answer.Explanation}");

        var run = await ShellRun.ExecAsync(world, "cluster-1", ["sh", "-c", Probe]);
        Assert.Equal(stdout, run.Stdout);
    }

    [Fact]
    public void The_failures_are_distinct_in_verdict_or_body()
    {
        var seen = new Dictionary<string, string>();
        foreach (var (name, (breakIt, _, _)) in Table.Where(kv => kv.Value.Verdict != MeshVerdict.NotResolved))
        {
            var world = SeedWorld.Build();
            breakIt(world);
            var answer = world.Send("httpbin.bar.global", 8000);
            var key = $"{answer.Verdict}|{answer.Reply?.Status}|{answer.Reply?.Body}|{answer.Explanation}";
            Assert.False(seen.ContainsKey(key), $"{name} answers like {seen.GetValueOrDefault(key)}");
            seen[key] = name;
        }
    }

    [Fact]
    public async Task Seed_command_prints_the_seed_headers()
    {
        var world = SeedWorld.Build();
        var run = await ShellRun.ExecAsync(world, "cluster-1", ["curl", "-I", "httpbin.bar.global:8000/headers"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nserver: envoy\r\ndate: Sat, 16 May 2020 23:03:22 GMT\r\ncontent-type: application/json\r\ncontent-length: ", run.Stdout);
        Assert.Contains("\r\nx-envoy-upstream-service-time: ", run.Stdout);
        Assert.EndsWith("\r\n\r\n", run.Stdout);
        Assert.StartsWith("  % Total    % Received % Xferd", run.Stderr);
    }

    [Fact]
    public async Task Get_headers_returns_httpbin_json_with_the_host_and_the_client_identity()
    {
        var world = SeedWorld.Build();
        var run = await ShellRun.ExecAsync(world, "cluster-1", ["curl", "-s", "httpbin.bar.global:8000/headers"]);

        var headers = JsonNode.Parse(run.Stdout)!["headers"]!;
        Assert.Equal("httpbin.bar.global:8000", (string?)headers["Host"]);
        Assert.Equal("curl/7.69.1", (string?)headers["User-Agent"]);
        Assert.Equal("*/*", (string?)headers["Accept"]);
        Assert.NotNull(headers["X-B3-Sampled"]);
        Assert.Contains("URI=spiffe://cluster.local/ns/foo/sa/sleep", (string?)headers["X-Forwarded-Client-Cert"]);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Failures_carry_envoy_bodies()
    {
        var world = SeedWorld.Build(sharedRoot: false);
        Assert.Equal(
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED",
            world.Send("httpbin.bar.global", 8000).Reply!.Body);

        world = SeedWorld.Build();
        world.Update("cluster-1", "apps", "deployments", "bar", "httpbin", d => d["spec"]!["replicas"] = 0);
        Assert.Equal("no healthy upstream", world.Send("httpbin.bar", 8000).Reply!.Body);
    }

    private static void Se(World world, Action<JsonObject> change) =>
        world.Update("cluster-1", "networking.istio.io", "serviceentries", "foo", "httpbin-bar", change);

    /// <summary>Sets one env var of a Deployment's first container (a new template: its pods are replaced).</summary>
    internal static void Env(World world, string cluster, string deployment, string name, string value) =>
        world.Update(cluster, "apps", "deployments", "istio-system", deployment, d =>
        {
            var env = d["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            env.Where(e => (string?)e!["name"] == name).ToList().ForEach(e => env.Remove(e));
            env.Add(new JsonObject { ["name"] = name, ["value"] = value });
        });
}
