using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Tests.Install;

/// <summary>What an install of each version and setting renders, read back the way the portal (or kubectl) reads a real cluster.</summary>
public sealed class InstallRenderingTests
{
    private static async Task<SimulatedCluster> OneAsync(SimulatedClusterOptions options)
    {
        options.Name = "c1";
        var mesh = await SimulatedMesh.CreateAsync(new SimulatorOptions { Clusters = 0, ClusterOverrides = [options] });
        return mesh["c1"];
    }

    private static Dictionary<string, string?> Env(JsonObject? deployment, string container) =>
        deployment!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => (string?)c!["name"] == container)!["env"]!.AsArray()
            .Where(e => e!["value"] is not null).ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);

    private static string[] PortNames(JsonObject? service) =>
        [.. service!["spec"]!["ports"]!.AsArray().Select(p => $"{p!["name"]}:{p["port"]}")];

    [Fact]
    public async Task Default_options_are_the_seed_1_6_8_with_the_multicluster_gateways_overlay()
    {
        var c = await OneAsync(new SimulatedClusterOptions());

        Assert.Equal("docker.io/istio/pilot:1.6.8", (string?)c.Get("apps", "deployments", "istio-system", "istiod")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("Kubernetes", Env(c.Get("apps", "deployments", "istio-system", "istiod"), "discovery")["CLUSTER_ID"]);
        Assert.DoesNotContain("PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH", Env(c.Get("apps", "deployments", "istio-system", "istiod"), "discovery").Keys);
        var gw = c.Get("apps", "deployments", "istio-system", "istio-ingressgateway");
        Assert.Equal("sni-dnat", Env(gw, "istio-proxy")["ISTIO_META_ROUTER_MODE"]);
        Assert.Equal(["status-port:15021", "http2:80", "https:443", "tls:15443"], PortNames(c.Get("", "services", "istio-system", "istio-ingressgateway")));
        Assert.NotNull(c.Get("", "services", "istio-system", "istiocoredns"));
        Assert.NotNull(c.Get("networking.istio.io", "gateways", "istio-system", "istio-multicluster-ingressgateway"));
        Assert.NotNull(c.Get("networking.istio.io", "destinationrules", "istio-system", "istio-multicluster-ingressgateway"));
        var filter = c.Get("networking.istio.io", "envoyfilters", "istio-system", "istio-multicluster-ingressgateway")!;
        Assert.NotNull(filter["spec"]!["configPatches"]![0]!["patch"]!["value"]!["config"]);
        Assert.Null(c.Get("", "secrets", "istio-system", "cacerts"));
        Assert.Equal("istio.io/ca-root", (string?)c.Get("", "secrets", "istio-system", "istio-ca-secret")!["type"]);
        Assert.DoesNotContain("proxyMetadata", (string?)c.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]);
    }

    [Fact]
    public async Task A_default_1_24_install_has_no_overlay_no_15443_and_no_dns_capture()
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = "1.24.3" });

        Assert.Null(c.Get("", "services", "istio-system", "istiocoredns"));
        Assert.Empty(c.List("networking.istio.io", "gateways"));
        Assert.Empty(c.List("networking.istio.io", "envoyfilters"));
        Assert.Equal(["status-port:15021", "http2:80", "https:443"], PortNames(c.Get("", "services", "istio-system", "istio-ingressgateway")));
        Assert.DoesNotContain("ISTIO_META_ROUTER_MODE", Env(c.Get("apps", "deployments", "istio-system", "istio-ingressgateway"), "istio-proxy").Keys);
        Assert.Equal("istiod", (string?)c.Get("apps", "deployments", "istio-system", "istiod")!["spec"]!["template"]!["spec"]!["serviceAccountName"]);
        Assert.NotNull(c.Get("", "serviceaccounts", "istio-system", "istio-reader-service-account"));
        Assert.DoesNotContain("ISTIO_META_DNS_CAPTURE", (string?)c.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]);
        var sleep = c.List("", "pods", "foo").Single();
        Assert.DoesNotContain(sleep["spec"]!["containers"]![1]!["env"]!.AsArray(), e => (string?)e!["name"] == "ISTIO_META_DNS_CAPTURE");
    }

    [Theory]
    [InlineData("1.8.0", "standard", true)]
    [InlineData("1.9.5", "standard", true)]
    [InlineData("1.10.0", "standard", false)]
    [InlineData("1.13.0", null, false)]
    public async Task Ingress_router_mode_and_15443_follow_the_version(string version, string? routerMode, bool has15443)
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = version });

        Assert.Equal(routerMode, Env(c.Get("apps", "deployments", "istio-system", "istio-ingressgateway"), "istio-proxy").GetValueOrDefault("ISTIO_META_ROUTER_MODE"));
        Assert.Equal(has15443, PortNames(c.Get("", "services", "istio-system", "istio-ingressgateway")).Contains("tls:15443"));
    }

    [Theory]
    [InlineData("1.8.0", true, true, true)]
    [InlineData("1.9.1", false, true, true)]
    public async Task The_overlay_renders_istiocoredns_before_1_9_and_the_built_in_objects_before_1_9_2(string version, bool coreDns, bool builtIn, bool typed)
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = version, Profile = "multicluster-gateways" });

        Assert.Equal(coreDns, c.Get("", "services", "istio-system", "istiocoredns") is not null);
        var filter = c.Get("networking.istio.io", "envoyfilters", "istio-system", "istio-multicluster-ingressgateway");
        Assert.Equal(builtIn, filter is not null);
        Assert.Equal(typed, filter?["spec"]!["configPatches"]![0]!["patch"]!["value"]!["typed_config"] is not null);
    }

    [Fact]
    public async Task Install_values_are_visible_where_the_charts_put_them()
    {
        var c = await OneAsync(new SimulatedClusterOptions
        {
            IstioVersion = "1.18.0", LegacyAutoPassthrough = true, IngressPassthroughPort = true, DnsCapture = true,
            ClusterId = "east", MeshId = "mesh1", GlobalNetwork = "net1", Network = "net1",
        });

        var istiod = Env(c.Get("apps", "deployments", "istio-system", "istiod"), "discovery");
        Assert.Equal(("true", "east"), (istiod["PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH"], istiod["CLUSTER_ID"]));
        var mesh = (string)c.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]!;
        Assert.Contains("  meshId: mesh1\n", mesh);
        Assert.Contains("  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n", mesh);
        var gateway = Env(c.Get("apps", "deployments", "istio-system", "istio-ingressgateway"), "istio-proxy");
        Assert.Equal(("net1", "east", "mesh1", "true"), (gateway["ISTIO_META_NETWORK"], gateway["ISTIO_META_CLUSTER_ID"], gateway["ISTIO_META_MESH_ID"], gateway["ISTIO_META_DNS_CAPTURE"]));
        Assert.Contains("tls:15443", PortNames(c.Get("", "services", "istio-system", "istio-ingressgateway")));
        var sleep = c.List("", "pods", "foo").Single();
        Assert.Equal("net1", (string?)sleep["metadata"]!["labels"]!["topology.istio.io/network"]);
        Assert.Equal("istio", (string?)sleep["metadata"]!["labels"]!["security.istio.io/tlsMode"]);
        var proxyEnv = sleep["spec"]!["containers"]!.AsArray().Single(x => (string?)x!["name"] == "istio-proxy")!["env"]!.AsArray();
        Assert.Contains(proxyEnv, e => (string?)e!["name"] == "ISTIO_META_DNS_CAPTURE" && (string?)e["value"] == "true");
    }

    [Fact]
    public async Task The_east_west_gateway_is_rendered_as_gen_eastwest_gateway_sh_does()
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = "1.24.3", EastWestGateway = true, Network = "net2" });

        var service = c.Get("", "services", "istio-system", "istio-eastwestgateway")!;
        Assert.Equal(["status-port:15021", "tls:15443", "tls-istiod:15012", "tls-webhook:15017"], PortNames(service));
        Assert.Equal("net2", (string?)service["metadata"]!["labels"]!["topology.istio.io/network"]);
        Assert.Equal("192.0.2.1", (string?)service["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        var env = Env(c.Get("apps", "deployments", "istio-system", "istio-eastwestgateway"), "istio-proxy");
        Assert.Equal("net2", env["ISTIO_META_REQUESTED_NETWORK_VIEW"]);
        Assert.DoesNotContain("ISTIO_META_ROUTER_MODE", env.Keys);
        Assert.Single(c.List("", "pods", "istio-system"), p => (string?)p["metadata"]!["labels"]!["istio"] == "eastwestgateway");
    }

    [Fact]
    public async Task A_revision_names_istiod_and_labels_the_injected_namespaces()
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = "1.22.0", Revision = "canary" });

        Assert.NotNull(c.Get("apps", "deployments", "istio-system", "istiod-canary"));
        Assert.NotNull(c.Get("", "configmaps", "istio-system", "istio-canary"));
        Assert.Equal("canary", (string?)c.Get("", "namespaces", null, "foo")!["metadata"]!["labels"]!["istio.io/rev"]);
        Assert.Equal("canary", (string?)c.List("", "pods", "foo").Single()["metadata"]!["labels"]!["istio.io/rev"]);
    }

    [Fact]
    public async Task Cacerts_at_install_is_read_by_istiod_and_no_self_signed_root_is_made()
    {
        var c = await OneAsync(new SimulatedClusterOptions { IstioVersion = "1.24.3", CacertsAtInstall = true });

        Assert.NotNull(c.Get("", "secrets", "istio-system", "cacerts"));
        Assert.Null(c.Get("", "secrets", "istio-system", "istio-ca-secret"));
        Assert.True(c.Runtime.Istiod("default")!.Plugged);
    }

    [Theory]
    [InlineData("1.24.3", nameof(SimulatedClusterOptions.Profile), "does not exist in Istio 1.24.3")]
    [InlineData("1.24.3", nameof(SimulatedClusterOptions.LegacyAutoPassthrough), "1.24.3 has no such flag")]
    [InlineData("1.9.4", nameof(SimulatedClusterOptions.LegacyAutoPassthrough), "1.9.4 has no such flag")]
    [InlineData("1.10.0", nameof(SimulatedClusterOptions.McsServiceDiscovery), "exist from Istio 1.11")]
    [InlineData("1.6.8", nameof(SimulatedClusterOptions.DnsCapture), "exists from Istio 1.8")]
    [InlineData("1.6.8", nameof(SimulatedClusterOptions.EastWestGateway), "exists from Istio 1.8")]
    public async Task Settings_a_version_does_not_have_are_refused_with_a_reason(string version, string setting, string expected)
    {
        var options = new SimulatedClusterOptions { Name = "c1", IstioVersion = version };
        switch (setting)
        {
            case nameof(SimulatedClusterOptions.Profile): options.Profile = "multicluster-gateways"; break;
            case nameof(SimulatedClusterOptions.LegacyAutoPassthrough): options.LegacyAutoPassthrough = true; break;
            case nameof(SimulatedClusterOptions.McsServiceDiscovery): options.McsServiceDiscovery = true; break;
            case nameof(SimulatedClusterOptions.DnsCapture): options.DnsCapture = true; break;
            case nameof(SimulatedClusterOptions.EastWestGateway): options.EastWestGateway = true; break;
        }

        var e = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedMesh.CreateAsync(new SimulatorOptions { Clusters = 0, ClusterOverrides = [options] }));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("Cluster \"c1\": ", e.Message);
    }
}
