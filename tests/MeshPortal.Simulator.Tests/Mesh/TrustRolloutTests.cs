using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// Trust as it rolls out: istiod reads <c>cacerts</c> when it starts (1.18+: reloads it only if it started with plugged certs), and
/// every proxy keeps the certificate and roots it got at its own start.
/// </summary>
public sealed class TrustRolloutTests
{
    private static void Expect(MeshVerdict verdict, MeshAnswer answer) =>
        Assert.True(verdict == answer.Verdict, $"expected {verdict}, got {answer.Verdict}: {answer.Explanation}");

    [Fact]
    public void Cacerts_pushed_into_running_1_6_clusters_needs_istiod_and_workload_restarts()
    {
        var world = SeedWorld.Build(sharedRoot: false);
        Expect(MeshVerdict.TrustMismatch, world.Send("httpbin.bar.global", 8000));

        foreach (var cluster in new[] { "cluster-1", "cluster-2" })
        {
            world[cluster].Put(TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, cluster), TestPki.SharedRoot));
        }

        Expect(MeshVerdict.TrustMismatch, world.Send("httpbin.bar.global", 8000)); // istiod still signs with istio-ca-secret

        world.RolloutRestart("cluster-1", "istio-system", "istiod");
        world.RolloutRestart("cluster-2", "istio-system", "istiod");
        Expect(MeshVerdict.TrustMismatch, world.Send("httpbin.bar.global", 8000)); // sleep and httpbin hold their old certificates

        world.RolloutRestart("cluster-2", "bar", "httpbin");
        Expect(MeshVerdict.TrustMismatch, world.Send("httpbin.bar.global", 8000)); // sleep still trusts only cluster-1's old root

        world.RolloutRestart("cluster-1", "foo", "sleep");
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar.global", 8000));

        // Inside cluster-1, the restarted sleep (new root) no longer trusts httpbin, which kept its self-signed certificate.
        Expect(MeshVerdict.TrustMismatch, world.Send("httpbin.bar", 8000));
        world.RolloutRestart("cluster-1", "bar", "httpbin");
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar", 8000));
    }

    [Theory]
    [InlineData("1.17.0", false)]
    [InlineData("1.18.0", true)]
    [InlineData("1.24.3", true)]
    public void A_plugged_istiod_reloads_a_new_intermediate_from_1_18(string version, bool reloads)
    {
        var world = SeedWorld.Create(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { IstioVersion = version, CacertsAtInstall = true } });
        var cluster = world["cluster-1"];
        var before = cluster.Runtime.Istiod("default")!.Ca.Key;
        cluster.Put(TestPki.CacertsSecret(TestPki.Intermediate(TestPki.OtherRoot, "cluster-1"), TestPki.OtherRoot));

        Assert.Equal(reloads, cluster.Runtime.Istiod("default")!.Ca.Key != before);

        // A pod started now gets the new CA; the one that kept the old root cannot verify it.
        world.RolloutRestart("cluster-1", "bar", "httpbin");
        Expect(reloads ? MeshVerdict.TrustMismatch : MeshVerdict.Ok, world.Send("httpbin.bar", 8000));
    }

    [Fact]
    public void An_istiod_that_started_self_signed_does_not_reload_on_1_24()
    {
        var world = SeedWorld.Create(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { IstioVersion = "1.24.3" } });
        var cluster = world["cluster-1"];
        Assert.False(cluster.Runtime.Istiod("default")!.Plugged);
        var before = cluster.Runtime.Istiod("default")!.Ca.Key;

        cluster.Put(TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, "cluster-1"), TestPki.SharedRoot));
        Assert.Equal(before, cluster.Runtime.Istiod("default")!.Ca.Key);

        world.RolloutRestart("cluster-1", "istio-system", "istiod");
        Assert.True(cluster.Runtime.Istiod("default")!.Plugged);
    }

    [Fact]
    public void A_root_bundle_with_both_roots_lets_old_and_new_certificates_meet()
    {
        var world = SeedWorld.Create(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { IstioVersion = "1.24.3" } });
        var cluster = world["cluster-1"];
        var selfSigned = (string)cluster.Get("", "secrets", "istio-system", "istio-ca-secret")!["data"]!["ca-cert.pem"]!;
        var oldRootPem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(selfSigned));
        var secret = TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, "cluster-1"), TestPki.SharedRoot);
        secret["data"]!["root-cert.pem"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(TestPki.SharedRoot.CertPem + oldRootPem));
        cluster.Put(secret);
        world.RolloutRestart("cluster-1", "istio-system", "istiod");

        // httpbin restarts onto the new intermediate and trusts both roots; sleep keeps the self-signed certificate and root.
        world.RolloutRestart("cluster-1", "bar", "httpbin");
        var answer = world.Send("httpbin.bar", 8000);
        Expect(MeshVerdict.TrustMismatch, answer); // sleep's old bundle does not contain the new root yet
        world.RolloutRestart("cluster-1", "foo", "sleep");
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar", 8000));
    }

    [Fact]
    public void A_pod_started_while_istiod_is_down_gets_no_config_until_istiod_is_back()
    {
        var world = SeedWorld.Create(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { IstioVersion = "1.24.3" } });
        var cluster = world["cluster-1"];
        cluster.Faults.IstiodDown = true;
        cluster.Put(SeedWorld.Obj("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"manual","namespace":"default","labels":{"app":"manual"}},
             "spec":{"containers":[{"name":"curl","image":"curlimages/curl"},{"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.24.3","args":["proxy","sidecar"]}]}}
            """));
        var answer = world.Send("httpbin.bar", 8000, ns: "default", app: "manual");
        Expect(MeshVerdict.NoProxyConfig, answer);
        Assert.Equal(MeshTransport.Refused, answer.Transport);
        Assert.Equal("False", (string?)cluster.Get("", "pods", "default", "manual")!["status"]!["conditions"]!.AsArray().First(c => (string?)c!["type"] == "Ready")!["status"]);

        cluster.Faults.IstiodDown = false;
        Expect(MeshVerdict.Ok, world.Send("httpbin.bar", 8000, ns: "default", app: "manual"));
    }

    [Fact]
    public async Task A_caller_can_plug_in_its_own_root_before_install()
    {
        var world = SeedWorld.Create(new SimulatorOptions
        {
            Clusters = 2,
            Defaults = new SimulatedClusterOptions { CacertsAtInstall = true },
            InstallRootCertificatePem = TestPki.SharedRoot.CertPem,
            InstallRootKeyPem = TestPki.SharedRoot.KeyPem,
        });

        var ca = world["cluster-1"].Runtime.Istiod("default")!.Ca;
        Assert.Equal(TestPki.SharedRoot.Cert.Thumbprint, Assert.Single(ca.Roots).Thumbprint);
        Assert.True(TrustVerifier.ChainProblem(ca.CaCert!, ca.Chain, [TestPki.SharedRoot.Cert], DateTimeOffset.UtcNow) is null);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => SimulatedMesh.CreateAsync(new SimulatorOptions
        {
            Clusters = 1, Defaults = new SimulatedClusterOptions { CacertsAtInstall = true }, InstallRootCertificatePem = TestPki.SharedRoot.CertPem,
        }));
        Assert.Contains("InstallRootKeyPem is required", e.Message);
    }
}
