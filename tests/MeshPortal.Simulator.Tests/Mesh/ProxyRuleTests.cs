using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>Rules of the proxies' config: EnvoyFilter NACKs, node ports, DNS capture per pod, the outbound catch-all, auto mTLS.</summary>
public sealed class ProxyRuleTests
{
    private static void Expect(MeshVerdict verdict, MeshAnswer answer) =>
        Assert.True(verdict == answer.Verdict, $"expected {verdict}, got {answer.Verdict}: {answer.Explanation}");

    private static JsonObject RewriteBeforeTcpProxy(string selector) => SeedWorld.Obj("""
        {"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter","metadata":{"name":"rewrite","namespace":"istio-system"},
         "spec":{"workloadSelector":{"labels":{"istio":"SELECTOR"}},"configPatches":[{"applyTo":"NETWORK_FILTER",
           "match":{"context":"GATEWAY","listener":{"portNumber":15443,"filterChain":{"filter":{"name":"envoy.filters.network.tcp_proxy"}}}},
           "patch":{"operation":"INSERT_BEFORE","value":{"name":"envoy.filters.network.tcp_cluster_rewrite",
             "typed_config":{"@type":"type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite",
               "cluster_pattern":"\\.local$","cluster_replacement":".nowhere"}}}}]}}
        """.Replace("SELECTOR", selector, StringComparison.Ordinal));

    [Fact]
    public void A_patch_with_a_filter_istio_proxy_1_20_no_longer_has_is_rejected_and_the_gateway_keeps_its_listener()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        Expect(MeshVerdict.Ok, world.Send(MultiPrimary.Httpbin, 8000));

        world["cluster-2"].Put(RewriteBeforeTcpProxy("eastwestgateway"));
        var answer = world.Send(MultiPrimary.Httpbin, 8000);
        Expect(MeshVerdict.Ok, answer);
        Assert.Contains("NACK", answer.Explanation);
    }

    [Fact]
    public void The_same_patch_applies_on_1_18_and_does_nothing_without_sni_cluster()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, version: "1.18.0"), twoNetworks: true);
        world["cluster-2"].Put(RewriteBeforeTcpProxy("eastwestgateway"));

        var answer = world.Send(MultiPrimary.Httpbin, 8000);
        Expect(MeshVerdict.Ok, answer);
        Assert.Contains("patched by EnvoyFilter istio-system/rewrite", answer.Explanation);
        Assert.DoesNotContain("NACK", answer.Explanation);
    }

    [Fact]
    public void On_the_legacy_chain_a_rewrite_after_sni_cluster_changes_the_cluster()
    {
        var world = SeedWorld.Build();
        world.Update("cluster-2", "networking.istio.io", "envoyfilters", "istio-system", "istio-multicluster-ingressgateway",
            f => f["spec"]!["configPatches"]![0]!["patch"]!["value"]!["config"]!["cluster_replacement"] = ".svc.elsewhere");

        var answer = world.Send("httpbin.bar.global", 8000);
        Expect(MeshVerdict.GatewayClusterMissing, answer);
        Assert.Contains("httpbin.bar.svc.elsewhere", answer.Explanation);
    }

    [Fact]
    public void Node_ports_answer_on_the_node_address()
    {
        var world = SeedWorld.Build();
        var nodePort = (int)world["cluster-2"].Get("", "services", "istio-system", "istio-ingressgateway")!["spec"]!["ports"]!.AsArray()
            .Single(p => (int)p!["port"]! == 15443)!["nodePort"]!;
        world.Update("cluster-1", "networking.istio.io", "serviceentries", "foo", "httpbin-bar", se =>
            se["spec"]!["endpoints"] = new JsonArray(new JsonObject { ["address"] = world["cluster-2"].NodeIp, ["ports"] = new JsonObject { ["http1"] = nodePort } }));
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar.global", 8000));

        world.Update("cluster-1", "networking.istio.io", "serviceentries", "foo", "httpbin-bar", se => se["spec"]!["endpoints"]![0]!["ports"]!["http1"] = 15443);
        Expect(MeshVerdict.GatewayPortWrong, world.Send("httpbin.bar.global", 8000));
    }

    [Fact]
    public void Dns_capture_comes_from_the_pod_annotation_or_the_mesh_config_at_injection()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: false), twoNetworks: false);
        world["cluster-1"].Delete("", "services", "bar", "httpbin");
        Expect(MeshVerdict.NotResolved, world.Send(MultiPrimary.Httpbin, 8000));

        // Turning capture on in the mesh config reaches sleep only when it is recreated (the injector renders the env).
        world.Update("cluster-1", "", "configmaps", "istio-system", "istio", cm =>
            cm["data"]!["mesh"] = ((string)cm["data"]!["mesh"]!).Replace("defaultConfig:\n", "defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n"));
        Expect(MeshVerdict.NotResolved, world.Send(MultiPrimary.Httpbin, 8000));
        world.RolloutRestart("cluster-1", "foo", "sleep");
        Expect(MeshVerdict.Ok, world.Send(MultiPrimary.Httpbin, 8000));

        // An istiod env var means nothing to sidecars.
        var plain = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: false, tweak: o => o.IstiodEnv["ISTIO_META_DNS_CAPTURE"] = "true"), twoNetworks: false);
        plain["cluster-1"].Delete("", "services", "bar", "httpbin");
        Expect(MeshVerdict.NotResolved, plain.Send(MultiPrimary.Httpbin, 8000));
        plain.Update("cluster-1", "apps", "deployments", "foo", "sleep", d => d["spec"]!["template"]!["metadata"]!["annotations"] =
            new JsonObject { ["proxy.istio.io/config"] = "proxyMetadata:\n  ISTIO_META_DNS_CAPTURE: \"true\"\n" });
        Expect(MeshVerdict.Ok, plain.Send(MultiPrimary.Httpbin, 8000));
    }

    [Fact]
    public void An_unknown_host_goes_to_the_original_destination_or_the_blackhole()
    {
        var world = SeedWorld.Build("1.24.3");
        var headers = new[] { KeyValuePair.Create("Host", "unknown.example") };
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar", 8000, headers: headers)); // allow_any: on to the ClusterIP

        world.Update("cluster-1", "", "configmaps", "istio-system", "istio", cm =>
            cm["data"]!["mesh"] = (string)cm["data"]!["mesh"]! + "\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n");
        var blocked = world.Send("httpbin.bar", 8000, headers: headers);
        Expect(MeshVerdict.RegistryOnlyBlocked, blocked);
        Assert.Equal(502, blocked.Reply!.Status);
    }

    [Fact]
    public void Auto_mtls_needs_the_tls_mode_label_else_a_destination_rule()
    {
        var world = SeedWorld.Build();
        world["cluster-1"].Delete("networking.istio.io", "destinationrules", "istio-system", "istio-multicluster-ingressgateway");
        Expect(MeshVerdict.PlaintextToGateway, world.Send("httpbin.bar.global", 8000));

        world.Update("cluster-1", "networking.istio.io", "serviceentries", "foo", "httpbin-bar",
            se => se["spec"]!["endpoints"]![0]!["labels"] = new JsonObject { ["security.istio.io/tlsMode"] = "istio" });
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar.global", 8000));
    }

    [Fact]
    public void A_pod_without_sidecar_reaches_local_services_but_not_service_entry_addresses()
    {
        var world = SeedWorld.Build();
        world["cluster-1"].Put(SeedWorld.Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"plain","namespace":"default","labels":{"app":"plain"}},
             "spec":{"containers":[{"name":"curl","image":"curlimages/curl"}]}}
            """));

        Expect(MeshVerdict.Ok, world.Send("httpbin.bar", 8000, ns: "default", app: "plain"));
        Expect(MeshVerdict.NoSidecarUnroutable, world.Send("httpbin.bar.global", 8000, ns: "default", app: "plain"));
    }

    [Fact]
    public void With_dns_capture_a_service_entry_host_of_any_name_resolves()
    {
        var world = MultiPrimary.Install(twoNetworks: false, tweak: o => o.DnsCapture = true);
        world["cluster-1"].Put(SeedWorld.Obj("""
            {"apiVersion":"networking.istio.io/v1beta1","kind":"ServiceEntry","metadata":{"name":"remote","namespace":"foo"},
             "spec":{"hosts":["httpbin.remote.svc.cluster.local"],"addresses":["240.0.0.9"],"location":"MESH_INTERNAL","resolution":"STATIC",
               "ports":[{"name":"http","number":8000,"protocol":"HTTP"}],"endpoints":[{"address":"198.18.0.200"}]}}
            """));

        var answer = world.Send("httpbin.remote.svc.cluster.local", 8000);
        Assert.Equal("240.0.0.9", answer.Address);
        Expect(MeshVerdict.UnknownEndpoint, answer); // resolved and routed; its endpoint is nobody
    }
}
