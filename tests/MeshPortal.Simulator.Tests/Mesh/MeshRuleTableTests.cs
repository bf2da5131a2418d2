using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Tests.Exec;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// The table: the seed's working setup answers 200; removing each precondition in turn gives its own failure,
/// both as the mesh's verdict and as what <c>curl</c> in the sleep pod prints.
/// </summary>
public sealed class MeshRuleTableTests
{
    private const string Probe = "curl -sS -o /dev/null --max-time 5 -w '%{http_code} %{exitcode}\\n' httpbin.bar.global:8000/headers";

    public static TheoryData<string> Cases => [.. Table.Keys];

    private static readonly Dictionary<string, (Action<FakeMesh> Break, MeshVerdict Verdict, string Stdout, string StderrContains)> Table = new()
    {
        ["seed works"] = (_ => { }, MeshVerdict.Ok, "200 0\n", ""),
        ["no ServiceEntry"] = (m => m["cluster-1"].Remove("networking.istio.io", "serviceentries", "foo", "httpbin-bar"),
            MeshVerdict.NotResolved, "000 6\n", "curl: (6) Could not resolve host: httpbin.bar.global"),
        ["ServiceEntry without address"] = (m => Se(m).AsObject()["spec"]!.AsObject().Remove("addresses"),
            MeshVerdict.NotResolved, "000 6\n", "curl: (6) Could not resolve host: httpbin.bar.global"),
        ["no DNS stub"] = (m => m["cluster-1"].Remove("", "configmaps", "kube-system", "kube-dns"),
            MeshVerdict.NotResolved, "000 6\n", "curl: (6) Could not resolve host"),
        ["wrong endpoint"] = (m => Se(m)["spec"]!["endpoints"]![0]!["address"] = "198.51.100.9",
            MeshVerdict.UnknownEndpoint, "000 28\n", "curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received"),
        ["endpoint port not 15443"] = (m => Se(m)["spec"]!["endpoints"]![0]!["ports"]!["http1"] = 443,
            MeshVerdict.GatewayPortWrong, "503 0\n", ""),
        ["ServiceEntry port not requested"] = (m => Se(m)["spec"]!["ports"]![0]!["number"] = 9000,
            MeshVerdict.PortNotInServiceEntry, "000 28\n", "curl: (28) Operation timed out"),
        ["missing target service"] = (m => m["cluster-2"].Remove("", "services", "bar", "httpbin"),
            MeshVerdict.TargetServiceMissing, "404 0\n", ""),
        ["no ready pods"] = (m => m["cluster-2"].Edit("", "pods", "bar", SeedWorld.HttpbinPod)["status"]!["conditions"]![0]!["status"] = "False",
            MeshVerdict.TargetNoReadyPods, "503 0\n", ""),
        ["target service without the port"] = (m => m["cluster-2"].Edit("", "services", "bar", "httpbin")["spec"]!["ports"]![0]!["port"] = 8080,
            MeshVerdict.TargetPortMissing, "503 0\n", ""),
        ["different roots"] = (m => m["cluster-2"].Put("", "secrets", SeedWorld.ForeignCacerts),
            MeshVerdict.TrustMismatch, "503 0\n", ""),
        ["no cacerts in target"] = (m => m["cluster-2"].Remove("", "secrets", "istio-system", "cacerts"),
            MeshVerdict.TrustMismatch, "503 0\n", ""),
        ["gateway down"] = (m => m["cluster-2"].GatewayDown = true,
            MeshVerdict.GatewayDown, "000 28\n", "curl: (28) Operation timed out"),
        ["DNS broken"] = (m => m["cluster-1"].DnsBroken = true,
            MeshVerdict.NotResolved, "000 6\n", "curl: (6) Could not resolve host: httpbin.bar.global"),
        ["Istio 1.10 target without passthrough Gateway"] = (m => m["cluster-2"].IstioVersion = "1.10.0",
            MeshVerdict.PassthroughListenerMissing, "503 0\n", ""),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_precondition_has_its_own_answer(string name)
    {
        var (breakIt, verdict, stdout, stderr) = Table[name];
        var mesh = SeedWorld.Build();
        breakIt(mesh);

        var answer = Send(mesh, "httpbin.bar.global", 8000, "/headers");
        Assert.Equal(verdict, answer.Verdict);

        var run = await ShellRun.ExecAsync(mesh, "cluster-1", ["sh", "-c", Probe]);
        Assert.Equal(stdout, run.Stdout);
        Assert.Contains(stderr, run.Stderr);
    }

    [Fact]
    public void The_failures_are_distinct_in_verdict_or_body()
    {
        var seen = new Dictionary<string, string>();
        foreach (var (name, (breakIt, _, _, _)) in Table.Where(kv => kv.Key != "no cacerts in target"))
        {
            var mesh = SeedWorld.Build();
            breakIt(mesh);
            var answer = Send(mesh, "httpbin.bar.global", 8000, "/headers");
            var key = $"{answer.Verdict}|{answer.Reply?.Status}|{answer.Reply?.Body}|{answer.Explanation}";
            Assert.False(seen.ContainsKey(key), $"{name} answers like {seen.GetValueOrDefault(key)}");
            seen[key] = name;
        }
    }

    [Fact]
    public async Task Seed_command_prints_the_seed_headers()
    {
        var mesh = SeedWorld.Build();
        var run = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-I", "httpbin.bar.global:8000/headers"]);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nserver: envoy\r\ndate: Sat, 16 May 2020 23:03:22 GMT\r\ncontent-type: application/json\r\ncontent-length: ", run.Stdout);
        Assert.Contains("\r\nx-envoy-upstream-service-time: ", run.Stdout);
        Assert.EndsWith("\r\n\r\n", run.Stdout);
        Assert.StartsWith("  % Total    % Received % Xferd", run.Stderr);
    }

    [Fact]
    public async Task Get_headers_returns_httpbin_json_with_the_host_and_user_agent()
    {
        var mesh = SeedWorld.Build();
        var run = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-s", "httpbin.bar.global:8000/headers"]);

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
        var mesh = SeedWorld.Build();
        mesh["cluster-2"].Put("", "secrets", SeedWorld.ForeignCacerts);
        Assert.Equal(
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED",
            Send(mesh, "httpbin.bar.global", 8000, "/headers").Reply!.Body);

        mesh = SeedWorld.Build();
        mesh["cluster-2"].Edit("", "pods", "bar", SeedWorld.HttpbinPod)["status"]!["phase"] = "Pending";
        Assert.Equal("no healthy upstream", Send(mesh, "httpbin.bar.global", 8000, "/headers").Reply!.Body);

        mesh = SeedWorld.Build();
        Se(mesh)["spec"]!["endpoints"]![0]!["ports"]!["http1"] = 443;
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: connection failure",
            Send(mesh, "httpbin.bar.global", 8000, "/headers").Reply!.Body);
    }

    private static JsonObject Se(FakeMesh mesh) => mesh["cluster-1"].Edit("networking.istio.io", "serviceentries", "foo", "httpbin-bar");

    internal static MeshAnswer Send(FakeMesh mesh, string host, int port, string path, string cluster = "cluster-1")
    {
        var source = mesh.Find(cluster)!;
        return MeshRouter.Send(new MeshRequest(mesh, source, source.Get("", "pods", "foo", SeedWorld.SleepPod)!, "GET", host, port, path, DateTimeOffset.UtcNow));
    }
}
