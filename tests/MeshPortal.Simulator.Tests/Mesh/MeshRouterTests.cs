using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Tests.Exec;

namespace MeshPortal.Simulator.Tests.Mesh;

public sealed class MeshRouterTests
{
    private static MeshAnswer Send(FakeMesh mesh, string host = "httpbin.bar.global", int port = 8000) =>
        MeshRuleTableTests.Send(mesh, host, port, "/headers");

    private static void AddGlobalGateway(FakeCluster cluster, bool withEnvoyFilter)
    {
        cluster.Put("networking.istio.io", "gateways", SeedWorld.Obj("""
            {"metadata":{"name":"global-passthrough","namespace":"istio-system"},
             "spec":{"selector":{"istio":"ingressgateway"},"servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.global"]}]}}
            """));
        if (withEnvoyFilter)
        {
            cluster.Put("networking.istio.io", "envoyfilters", SeedWorld.Obj("""
                {"metadata":{"name":"global-sni-rewrite","namespace":"istio-system"},
                 "spec":{"configPatches":[{"applyTo":"NETWORK_FILTER","patch":{"operation":"INSERT_AFTER","value":{"name":"envoy.filters.network.tcp_cluster_rewrite","typed_config":{"cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}}}]}}
                """));
        }
    }

    [Fact]
    public void Istio_1_10_target_accepts_global_with_gateway_and_sni_rewrite()
    {
        var mesh = SeedWorld.Build(targetIstio: "1.10.3");
        AddGlobalGateway(mesh["cluster-2"], withEnvoyFilter: false);
        var noRewrite = Send(mesh);
        Assert.Equal(MeshVerdict.SniRewriteMissing, noRewrite.Verdict);
        Assert.Equal(EnvoyReplies.ConnectionTermination, noRewrite.Reply!.Body);

        AddGlobalGateway(mesh["cluster-2"], withEnvoyFilter: true);
        Assert.Equal(MeshVerdict.Ok, Send(mesh).Verdict);
    }

    [Fact]
    public void In_cluster_calls_reach_ready_pods()
    {
        var mesh = SeedWorld.Build();
        var ok = Send(mesh, "httpbin.bar", 8000);
        Assert.Equal((MeshVerdict.Ok, 200), (ok.Verdict, ok.Reply!.Status));
        Assert.Equal(TimeSpan.Zero, ok.RealDelay);

        mesh["cluster-1"].Edit("", "pods", "bar", SeedWorld.HttpbinPod)["status"]!["phase"] = "Failed";
        var down = Send(mesh, "httpbin.bar", 8000);
        Assert.Equal((MeshVerdict.LocalNoReadyPods, "no healthy upstream"), (down.Verdict, down.Reply!.Body));

        Assert.Equal(MeshVerdict.LocalPortNotServed, Send(SeedWorld.Build(), "httpbin.bar", 9999).Verdict);
    }

    [Fact]
    public void A_gateway_without_load_balancer_is_reached_on_a_node_and_its_nodeport()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-2"].Edit("", "services", "istio-system", "istio-ingressgateway")["status"] = new JsonObject();
        var endpoint = mesh["cluster-1"].Edit("networking.istio.io", "serviceentries", "foo", "httpbin-bar")["spec"]!["endpoints"]![0]!;
        endpoint["address"] = "10.0.2.7";
        Assert.Equal(MeshVerdict.GatewayPortWrong, Send(mesh).Verdict);

        endpoint["ports"]!["http1"] = 31543;
        Assert.Equal(MeshVerdict.Ok, Send(mesh).Verdict);
    }

    [Fact]
    public void The_first_working_endpoint_wins()
    {
        var mesh = SeedWorld.Build();
        var endpoints = mesh["cluster-1"].Edit("networking.istio.io", "serviceentries", "foo", "httpbin-bar")["spec"]!["endpoints"]!.AsArray();
        endpoints.Insert(0, new JsonObject { ["address"] = "198.51.100.1", ["ports"] = new JsonObject { ["http1"] = 15443 } });
        Assert.Equal(MeshVerdict.Ok, Send(mesh).Verdict);

        endpoints.RemoveAt(1);
        Assert.Equal(MeshVerdict.UnknownEndpoint, Send(mesh).Verdict);
    }

    [Fact]
    public void Target_pods_without_sidecar_cannot_terminate_mtls()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-2"].Edit("", "pods", "bar", SeedWorld.HttpbinPod)["spec"]!["containers"]!.AsArray().RemoveAt(1);

        Assert.Equal(MeshVerdict.TargetWithoutSidecar, Send(mesh).Verdict);
    }

    [Fact]
    public async Task A_pod_without_sidecar_resolves_global_but_cannot_connect()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-1"].Put("", "pods", SeedWorld.Pod("foo", "plain", """{"app":"plain"}""", "10.0.1.5", "plain"));

        var run = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "--connect-timeout", "3", "httpbin.bar.global:8000/headers"], pod: "plain");
        Assert.Equal(28, run.ExitCode);
        Assert.Equal("curl: (28) Connection timed out after 3001 milliseconds\n", run.Stderr);

        var noLimit = await ShellRun.ExecAsync(mesh, "cluster-1", ["curl", "-sS", "-w", "%{time_total}", "httpbin.bar.global:8000/headers"], pod: "plain");
        Assert.Equal(7, noLimit.ExitCode);
        Assert.Equal("127.000000", noLimit.Stdout);
        Assert.Equal("curl: (7) Failed to connect to httpbin.bar.global port 8000: Connection timed out\n", noLimit.Stderr);
    }

    [Fact]
    public void A_host_header_without_route_gets_envoys_404()
    {
        var mesh = SeedWorld.Build();
        var source = mesh["cluster-1"];
        var request = new MeshRequest(mesh, source, source.Get("", "pods", "foo", SeedWorld.SleepPod)!, "GET", "240.0.0.2", 8000, "/headers", DateTimeOffset.UtcNow)
        {
            ExtraHeaders = [new("Host", "other.example")],
        };

        Assert.Equal(MeshVerdict.HostHeaderNoRoute, MeshRouter.Send(request).Verdict);
        Assert.Equal(MeshVerdict.Ok, MeshRouter.Send(request with { ExtraHeaders = [] }).Verdict);
    }
}
