using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// Red where reality is red: MeshPortal's <c>.global</c> objects, exactly as its planners write them today (Fixtures/portal-global),
/// pushed into clusters of each version, answer what istio-modern-multicluster.md predicts.
/// </summary>
public sealed class PortalGlobalRecipeTests
{
    private static JsonObject Fixture(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "portal-global", name + ".json")))!.AsObject();

    /// <summary>Both clusters of <paramref name="version"/> with a shared root; the export pushed the way the portal pushes it.</summary>
    private static World Push(string version, bool capture = false, bool port15443 = false, bool legacy = false, string? routerMode = null, bool allObjects = true)
    {
        var world = SeedWorld.Create(new SimulatorOptions
        {
            Clusters = 0,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "cluster-1", IstioVersion = version, CacertsAtInstall = true, DnsCapture = capture },
                new SimulatedClusterOptions
                {
                    Name = "cluster-2", IstioVersion = version, CacertsAtInstall = true, IngressPassthroughPort = port15443,
                    LegacyAutoPassthrough = legacy, IngressRouterMode = routerMode,
                },
            ],
        });
        world["cluster-1"].Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"meshportal-exports"}}""");
        var se = Fixture("serviceentry");
        se["spec"]!["endpoints"]![0]!["address"] = world["cluster-2"].GatewayLoadBalancerIp;
        world["cluster-1"].Put(se);
        if (allObjects)
        {
            world["cluster-1"].Put(Fixture("destinationrule"));
            world["cluster-2"].Put(Fixture("gateway"));
            world["cluster-2"].Put(Fixture("envoyfilter"));
        }

        return world;
    }

    private static void Expect(MeshVerdict verdict, World world)
    {
        var answer = world.Send("httpbin.bar.global", 8000);
        Assert.True(verdict == answer.Verdict, $"expected {verdict}, got {answer.Verdict}: {answer.Explanation}");
    }

    [Theory]
    [InlineData("1.9.2")]
    [InlineData("1.10.0")]
    [InlineData("1.18.0")]
    [InlineData("1.19.0")]
    [InlineData("1.24.3")]
    public void On_a_default_install_the_global_name_does_not_resolve(string version) =>
        Expect(MeshVerdict.NotResolved, Push(version));

    [Theory]
    [InlineData("1.10.0")]
    [InlineData("1.18.0")]
    [InlineData("1.24.3")]
    public void With_dns_capture_the_default_ingress_gateway_has_no_15443(string version) =>
        Expect(MeshVerdict.GatewayPortWrong, Push(version, capture: true));

    [Theory]
    [InlineData("1.10.0")]
    [InlineData("1.18.0")]
    [InlineData("1.19.0")]
    [InlineData("1.20.0")]
    [InlineData("1.24.3")]
    public void With_capture_and_15443_the_fixed_auto_passthrough_has_no_chain_for_global(string version)
    {
        var world = Push(version, capture: true, port15443: true);
        var answer = world.Send("httpbin.bar.global", 8000);

        Assert.Equal(MeshVerdict.NoFilterChain, answer.Verdict);
        Assert.Equal(EnvoyReplies.ConnectionTermination, answer.Reply!.Body);
        Assert.Contains("per-service AUTO_PASSTHROUGH chains", answer.Explanation);
        Assert.DoesNotContain("patched by EnvoyFilter", answer.Explanation); // its sni_cluster match finds nothing
    }

    [Fact]
    public void On_1_9_2_the_gateway_has_no_sni_dnat_clusters_for_the_rewritten_name() =>
        Expect(MeshVerdict.GatewayClusterMissing, Push("1.9.2", capture: true, port15443: true));

    [Fact]
    public void On_1_9_2_what_the_portal_writes_there_leaves_15443_without_a_listener() =>
        Expect(MeshVerdict.PassthroughListenerMissing, Push("1.9.2", capture: true, port15443: true, allObjects: false));

    [Fact]
    public void On_1_18_the_legacy_flag_15443_and_capture_make_it_work()
    {
        var world = Push("1.18.0", capture: true, port15443: true, legacy: true);
        var answer = world.Send("httpbin.bar.global", 8000);

        Assert.True(answer.Verdict == MeshVerdict.Ok, answer.Explanation);
    }

    [Fact]
    public void On_1_10_the_legacy_flag_also_needs_sni_dnat()
    {
        Expect(MeshVerdict.GatewayClusterMissing, Push("1.10.0", capture: true, port15443: true, legacy: true));
        Expect(MeshVerdict.Ok, Push("1.10.0", capture: true, port15443: true, legacy: true, routerMode: "sni-dnat"));
    }

    [Fact]
    public void On_1_6_with_the_overlay_it_answers_200()
    {
        var world = SeedWorld.Build();
        world["cluster-1"].Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"meshportal-exports"}}""");
        world["cluster-1"].Delete("networking.istio.io", "serviceentries", "foo", "httpbin-bar");
        var se = Fixture("serviceentry");
        se["spec"]!["endpoints"]![0]!["address"] = world["cluster-2"].GatewayLoadBalancerIp;
        world["cluster-1"].Put(se);

        Expect(MeshVerdict.Ok, world);
    }
}
