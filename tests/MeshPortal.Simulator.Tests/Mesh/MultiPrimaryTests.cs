using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Tests.Exec;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>Today's multi-cluster model: green where the docs' recipe is complete, the named failure when one piece is missing.</summary>
public sealed class MultiPrimaryTests
{
    private static MeshAnswer Curl(World world, string host = MultiPrimary.Httpbin) => world.Send(host, 8000);

    private static void Expect(MeshVerdict verdict, MeshAnswer answer) =>
        Assert.True(verdict == answer.Verdict, $"expected {verdict}, got {answer.Verdict}: {answer.Explanation}");

    [Fact]
    public async Task One_network_reaches_the_remote_pod_directly()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: false), twoNetworks: false);

        var answer = Curl(world);
        Expect(MeshVerdict.Ok, answer);
        Assert.Contains("in cluster-2 (mTLS as cluster.local/ns/foo/sa/sleep)", answer.Explanation);
        var run = await ShellRun.ExecAsync(world, "cluster-1", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "httpbin.bar.svc.cluster.local:8000/headers"],
            now: DateTimeOffset.UtcNow);
        Assert.Equal("200", run.Stdout);
    }

    [Fact]
    public void Two_networks_go_through_the_remote_east_west_gateway()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);

        var answer = Curl(world);
        Expect(MeshVerdict.Ok, answer);
        Assert.Contains("via 192.0.2.2:15443 (network gateway of network2)", answer.Explanation);
    }

    [Fact]
    public void Without_remote_secrets_the_remote_endpoints_are_unknown()
    {
        var world = MultiPrimary.Install(twoNetworks: true);
        MultiPrimary.LabelNetwork(world, "cluster-1", "network1");
        MultiPrimary.LabelNetwork(world, "cluster-2", "network2");
        MultiPrimary.ExposeServices(world, "cluster-2");

        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
    }

    [Fact]
    public void A_remote_secret_with_a_bad_token_discovers_nothing()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        MultiPrimary.RemoteSecret(world, "cluster-1", "cluster-2", token: "not-a-token");

        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
    }

    [Fact]
    public void Revoking_the_reader_token_stops_discovery_and_deleting_its_secret_too()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-2"].Faults.ReaderTokensRevoked = true;
        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));

        world["cluster-2"].Faults.ReaderTokensRevoked = false;
        Expect(MeshVerdict.Ok, Curl(world));
        world["cluster-2"].Delete("", "secrets", "istio-system", "istio-reader-service-account-istio-remote-secret-token");
        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
    }

    [Fact]
    public void Without_the_cross_network_gateway_nothing_listens_on_15443()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-2"].Delete("networking.istio.io", "gateways", "istio-system", "cross-network-gateway");

        var answer = Curl(world);
        Expect(MeshVerdict.PassthroughListenerMissing, answer);
        Assert.Equal(EnvoyReplies.ConnectionFailure, answer.Reply!.Body);
    }

    [Fact]
    public void Without_an_east_west_gateway_the_sidecar_dials_the_remote_pod_and_times_out()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, tweak: o => o.EastWestGateway = false), twoNetworks: true);

        var answer = Curl(world);
        Expect(MeshVerdict.PodUnreachable, answer);
        Assert.Equal(EnvoyReplies.ConnectTimeout, answer.Elapsed);
    }

    [Fact]
    public void Without_network_identity_istiod_treats_both_networks_as_one()
    {
        var world = MultiPrimary.Install(twoNetworks: true, tweak: o => o.GlobalNetwork = null);
        MultiPrimary.ExposeServices(world, "cluster-2");
        MultiPrimary.RemoteSecret(world, "cluster-1", "cluster-2");
        Expect(MeshVerdict.PodUnreachable, Curl(world));

        // The namespace label gives the endpoints a network, but proxies only know theirs from ISTIO_META_NETWORK (values.global.network).
        MultiPrimary.LabelNetwork(world, "cluster-2", "network2");
        Expect(MeshVerdict.PodUnreachable, Curl(world));
    }

    [Fact]
    public void Gateway_down_and_partitions_are_faults_on_the_path()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-2"].Faults.EastWestGatewayDown = true;
        Expect(MeshVerdict.GatewayDown, Curl(world));
        world["cluster-2"].Faults.EastWestGatewayDown = false;

        world.Mesh.Partition("network1", "network2");
        Expect(MeshVerdict.NetworkPartition, Curl(world));
        world.Mesh.HealAll();
        Expect(MeshVerdict.Ok, Curl(world));
    }

    [Fact]
    public void Istiod_down_leaves_proxies_with_their_last_config()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-1"].Faults.IstiodDown = true;

        // A change istiod would push does not reach cluster-1's proxies: they keep the endpoints they had.
        world["cluster-1"].Delete("", "secrets", "istio-system", "istio-remote-secret-cluster-2");
        Expect(MeshVerdict.Ok, Curl(world));

        world["cluster-1"].Faults.IstiodDown = false;
        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
    }

    [Fact]
    public void A_name_resolves_through_the_local_service_or_dns_capture()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-1"].Delete("", "services", "bar", "httpbin");
        Expect(MeshVerdict.NotResolved, Curl(world));

        var captured = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, tweak: o => o.DnsCapture = true), twoNetworks: true);
        captured["cluster-1"].Delete("", "services", "bar", "httpbin");
        var answer = Curl(captured);
        Expect(MeshVerdict.Ok, answer);
    }

    [Fact]
    public void Mcs_discovery_keeps_services_local_until_exported_and_adds_clusterset_hosts()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, tweak: o =>
        {
            o.McsServiceDiscovery = true;
            o.McsHost = true;
            o.McsCrdsInstalled = true;
            o.DnsCapture = true;
        }), twoNetworks: true);
        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
        Assert.Contains("ServiceExport", Curl(world).Explanation);

        world["cluster-2"].Put(SeedWorld.Obj("""{"apiVersion":"multicluster.x-k8s.io/v1alpha1","kind":"ServiceExport","metadata":{"name":"httpbin","namespace":"bar"}}"""));
        Expect(MeshVerdict.Ok, Curl(world));
        Expect(MeshVerdict.Ok, Curl(world, "httpbin.bar.svc.clusterset.local"));
    }

    [Fact]
    public void Cluster_local_service_settings_keep_a_host_at_home()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world.Update("cluster-1", "", "configmaps", "istio-system", "istio", cm =>
            cm["data"]!["mesh"] = (string)cm["data"]!["mesh"]! + "\nserviceSettings:\n- settings:\n    clusterLocal: true\n  hosts:\n  - \"*.bar.svc.cluster.local\"\n");

        var answer = Curl(world);
        Expect(MeshVerdict.NoHealthyUpstream, answer);
        Assert.Contains("cluster-local", answer.Explanation);
    }

    [Fact]
    public void A_sidecar_resource_hides_hosts_outside_its_egress()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-1"].Put(SeedWorld.Obj("""
            {"apiVersion":"networking.istio.io/v1","kind":"Sidecar","metadata":{"name":"default","namespace":"foo"},
             "spec":{"egress":[{"hosts":["./*","istio-system/*"]}]}}
            """));

        Expect(MeshVerdict.KubeProxyNoEndpoints, Curl(world));
    }

    [Fact]
    public void A_denying_authorization_policy_answers_403()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world["cluster-2"].Put(SeedWorld.Obj("""
            {"apiVersion":"security.istio.io/v1","kind":"AuthorizationPolicy","metadata":{"name":"only-baz","namespace":"bar"},
             "spec":{"action":"ALLOW","rules":[{"from":[{"source":{"namespaces":["baz"]}}]}]}}
            """));

        var answer = Curl(world);
        Expect(MeshVerdict.RbacDenied, answer);
        Assert.Equal(("RBAC: access denied", 403), (answer.Reply!.Body, answer.Reply.Status));
    }

    [Fact]
    public void A_host_served_by_several_clusters_fails_over_to_the_first_healthy()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: false), twoNetworks: false);
        world["cluster-1"].Put(SeedWorld.Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"httpbin","namespace":"bar"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"httpbin"}},"template":{"metadata":{"labels":{"app":"httpbin"}},
               "spec":{"serviceAccountName":"httpbin","containers":[{"name":"httpbin","image":"docker.io/kennethreitz/httpbin"}]}}}}
            """));
        Assert.Contains("in cluster-1", Curl(world).Explanation);

        world.Update("cluster-1", "apps", "deployments", "bar", "httpbin", d => d["spec"]!["replicas"] = 0);
        Assert.Contains("in cluster-2", Curl(world).Explanation);
    }

    [Fact]
    public void A_remote_cluster_without_the_common_root_fails_the_handshake()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, tweak: o => o.CacertsAtInstall = o.Name == "cluster-1"), twoNetworks: true);

        var answer = Curl(world);
        Expect(MeshVerdict.TrustMismatch, answer);
        Assert.Equal(EnvoyReplies.CertificateVerifyFailed, answer.Reply!.Body);
    }

    [Fact]
    public void Own_cluster_id_in_a_remote_secret_is_ignored()
    {
        var world = MultiPrimary.Install(twoNetworks: false);
        var c2 = world["cluster-2"];
        world["cluster-1"].Put(MultiPrimary.RemoteSecretObject("cluster-1", c2.Server.ToString().TrimEnd('/'), c2.CaCertificatePem, c2.Token));

        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
        MultiPrimary.RemoteSecret(world, "cluster-1", "cluster-2");
        Expect(MeshVerdict.Ok, Curl(world));
    }

    [Fact]
    public void The_reader_token_must_come_from_the_cluster_it_reads()
    {
        var world = MultiPrimary.Install(twoNetworks: false);
        var c1 = world["cluster-1"];
        var c2 = world["cluster-2"];
        MultiPrimary.RemoteSecret(world, "cluster-2", "cluster-1");
        var c1Token = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(
            (string)c1.Get("", "secrets", "istio-system", "istio-reader-service-account-istio-remote-secret-token")!["data"]!["token"]!));
        world["cluster-1"].Put(MultiPrimary.RemoteSecretObject("cluster-2", c2.Server.ToString().TrimEnd('/'), c2.CaCertificatePem, c1Token));

        Expect(MeshVerdict.NoHealthyUpstream, Curl(world));
    }

    [Fact]
    public void A_selector_less_service_in_the_client_cluster_is_enough_for_the_name()
    {
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true), twoNetworks: true);
        world.Update("cluster-1", "", "services", "bar", "httpbin", s => s["spec"]!.AsObject().Remove("selector"));

        Expect(MeshVerdict.Ok, Curl(world));
    }
}
