using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Trust;

/// <summary>The pure rules of the root transition: which phase, which files, the istiod restart rule and the roll-out gate.</summary>
[Trait("Speed", "Fast")]
public sealed class RootTransitionRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1.6.8", true, true)]
    [InlineData("1.6.8", false, true)]
    [InlineData("1.17.2", true, true)]
    [InlineData("1.18.0", false, true)] // started on its self-signed istio-ca-secret: no watcher, restart
    [InlineData("1.18.0", true, false)] // started plugged: AUTO_RELOAD_PLUGIN_CERTS reloads
    [InlineData("1.24.3", false, true)]
    [InlineData("1.24.3", true, false)]
    [InlineData(null, true, true)]
    public void Istiod_restart_rule_depends_on_version_and_how_istiod_started(string? version, bool startedPlugged, bool restart) =>
        Assert.Equal(restart, IstioCaReload.NeedsRestart(version, startedPlugged));

    [Fact]
    public void Not_knowing_how_istiod_started_means_restart_on_1_18() => Assert.True(IstioCaReload.NeedsRestart("1.18.0", null));

    [Fact]
    public void A_self_signed_cluster_without_cacerts_starts_at_the_bundle_phase_and_keeps_its_old_signer()
    {
        var (old, oldKey) = TrustPki.NewRoot("self-signed");
        var selfSigned = Secret("istio-ca-secret", old.ExportCertificatePem(), oldKey.ExportPkcs8PrivateKeyPem(), "", "", managed: false);
        var mesh = MeshFiles("cluster-1");

        Assert.Equal(TransitionPhase.Bundle, RootTransition.Current(null, null, selfSigned));
        var files = RootTransition.Files(TransitionPhase.Bundle, mesh, null, selfSigned)!;
        Assert.Equal(Pem(old.ExportCertificatePem()), files.CaCertPem);
        Assert.Equal(2, PemBlocks.Certificates(files.RootCertPem).Count);
        Assert.StartsWith(Pem(old.ExportCertificatePem()), files.RootCertPem);
        Assert.EndsWith(Pem(TrustPki.Root.ExportCertificatePem()), files.RootCertPem);

        // MeshPortal's phase-1 cacerts in the cluster: still phase 1 without a stored phase; the live phase says so too.
        var live = Secret("cacerts", files.CaCertPem, files.CaKeyPem, files.RootCertPem, files.CertChainPem, managed: true);
        Assert.Equal(TransitionPhase.Bundle, RootTransition.Current(null, live, selfSigned));
        Assert.Equal(TransitionPhase.Bundle, RootTransition.LivePhase(live, selfSigned, [TrustPki.Root.ExportCertificatePem()]));

        // Phase 2: the mesh intermediate signs, both roots trusted.
        var phase2 = RootTransition.Files(TransitionPhase.Intermediate, mesh, live, selfSigned)!;
        Assert.Equal(mesh.CaCertPem, phase2.CaCertPem);
        Assert.Equal(Pem(TrustPki.Root.ExportCertificatePem()) + Pem(old.ExportCertificatePem()), phase2.RootCertPem);
        var live2 = Secret("cacerts", phase2.CaCertPem, phase2.CaKeyPem, phase2.RootCertPem, phase2.CertChainPem, managed: true);
        Assert.Equal(TransitionPhase.Intermediate, RootTransition.LivePhase(live2, selfSigned, [TrustPki.Root.ExportCertificatePem()]));

        // Phase 3: the mesh files exactly.
        Assert.Equal(mesh, RootTransition.Files(TransitionPhase.Done, mesh, live2, selfSigned));
        var live3 = Secret("cacerts", mesh.CaCertPem, mesh.CaKeyPem, mesh.RootCertPem, mesh.CertChainPem, managed: true);
        Assert.Equal(TransitionPhase.Done, RootTransition.LivePhase(live3, selfSigned, [TrustPki.Root.ExportCertificatePem()]));
        Assert.Null(RootTransition.Current(null, live3, selfSigned));
    }

    [Fact]
    public void Without_a_self_signed_root_there_is_no_transition_and_without_its_key_phase_one_writes_nothing()
    {
        Assert.Null(RootTransition.Current(null, null, null));
        var mesh = MeshFiles("c");
        Assert.Equal(mesh, RootTransition.Files(null, mesh, null, null));
        var (old, _) = TrustPki.NewRoot("self-signed");
        var keyless = Secret("istio-ca-secret", old.ExportCertificatePem(), "", "", "", managed: false);
        Assert.Null(RootTransition.Files(TransitionPhase.Bundle, mesh, null, keyless));
    }

    [Fact]
    public void The_planner_writes_phase_one_for_a_self_signed_cluster_and_names_the_phase()
    {
        var (old, oldKey) = TrustPki.NewRoot("self-signed");
        var live = new LiveObjects(new Dictionary<ObjectRef, JsonObject?>
        {
            [RootTransition.SelfSignedRef] = Secret("istio-ca-secret", old.ExportCertificatePem(), oldKey.ExportPkcs8PrivateKeyPem(), "", "", managed: false),
        });
        var planner = new TrustPlanner(new Dictionary<int, CacertsFiles> { [1] = MeshFiles("c") });
        var target = new ClusterTarget(1, "c", "1.6.8", null, null, null, false, null, null, CacertsDecision.None);
        Assert.Contains(RootTransition.SelfSignedRef, planner.Reads(target));
        var plan = planner.Plan(target, live);
        var secret = plan.Objects.Single(o => o.Ref == CacertsFiles.SecretRef).Body;
        Assert.Equal(Pem(old.ExportCertificatePem()), Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["ca-cert.pem"]!)));
        Assert.Equal(TransitionPhase.Bundle, RootTransition.FromNotes(plan.Notes));

        var phase2 = new TrustPlanner(new Dictionary<int, CacertsFiles> { [1] = MeshFiles("c") }, phases: new Dictionary<int, TransitionPhase> { [1] = TransitionPhase.Intermediate })
            .Plan(target, live);
        Assert.Equal(TransitionPhase.Intermediate, RootTransition.FromNotes(phase2.Notes));
    }

    [Fact]
    public void Gate_on_1_6_asks_for_istiod_then_lists_old_pods_gateways_first_with_commands()
    {
        var changed = T0;
        var facts = Facts("1.6.8", created: T0.AddMinutes(-1), changed, istiod: T0.AddHours(-1),
            Pod("bar", "httpbin-5c4f-x", T0.AddHours(-1)), Pod("istio-system", "istio-ingressgateway-7d-y", T0.AddHours(-1), gateway: true));
        var advice = RolloutGate.Evaluate(facts);
        Assert.Equal(RolloutStep.RestartIstiod, advice.Step);
        Assert.Contains("reads cacerts only when it starts", advice.Message);
        Assert.False(advice.CanAdvance);

        var restarted = facts with { Istiods = [new IstiodPodFact("istiod-new", T0.AddSeconds(5), T0.AddSeconds(6))] };
        advice = RolloutGate.Evaluate(restarted);
        Assert.Equal(RolloutStep.RestartPods, advice.Step);
        Assert.Equal(["istio-ingressgateway-7d-y", "httpbin-5c4f-x"], advice.Stale.Select(s => s.Name));
        Assert.Equal(["istio-system/istio-ingressgateway"], advice.GatewayDeployments);
        Assert.Contains("kubectl rollout restart deployment/httpbin -n bar", advice.Commands);

        // Pods created in the same second as istiod became ready are ambiguous: still listed. A second later they are current.
        advice = RolloutGate.Evaluate(restarted with { Proxies = [Pod("bar", "httpbin-5c4f-z", T0.AddSeconds(6))] });
        Assert.Equal(RolloutStep.RestartPods, advice.Step);
        advice = RolloutGate.Evaluate(restarted with { Proxies = [Pod("bar", "httpbin-5c4f-z", T0.AddSeconds(7)), Pod("meshportal-probe", "meshportal-probe", T0.AddSeconds(7), owner: null)] });
        Assert.True(advice.CanAdvance, advice.Message);
    }

    [Fact]
    public void Gate_on_1_24_restarts_an_istiod_that_started_self_signed_but_trusts_the_reload_of_one_that_started_plugged()
    {
        // Started before cacerts existed (self-signed): restart.
        var selfSigned = Facts("1.24.3", created: T0, changed: T0, istiod: T0.AddHours(-1), Pod("bar", "httpbin-5c4f-x", T0.AddSeconds(2)));
        Assert.Equal(RolloutStep.RestartIstiod, RolloutGate.Evaluate(selfSigned).Step);
        Assert.False(RolloutGate.Evaluate(selfSigned).IstiodStartedPlugged);

        // Started after cacerts was created, then cacerts changed: it reloads; pods before the change are old.
        var plugged = Facts("1.24.3", created: T0, changed: T0.AddMinutes(10), istiod: T0.AddMinutes(1),
            Pod("bar", "httpbin-5c4f-x", T0.AddMinutes(5)), Pod("foo", "sleep-6b-y", T0.AddMinutes(11)));
        var advice = RolloutGate.Evaluate(plugged);
        Assert.True(advice.IstiodStartedPlugged);
        Assert.Equal(RolloutStep.RestartPods, advice.Step);
        Assert.Equal(["httpbin-5c4f-x"], advice.Stale.Select(s => s.Name));
        Assert.Equal(T0.AddMinutes(10), advice.CurrentSince);

        // The same on 1.17: no reload, restart.
        Assert.Equal(RolloutStep.RestartIstiod, RolloutGate.Evaluate(plugged with { IstioVersion = "1.17.8" }).Step);
    }

    [Fact]
    public void Gate_waits_for_the_push_and_for_istiod()
    {
        Assert.Equal(RolloutStep.WaitForPush, RolloutGate.Evaluate(new RolloutFacts("1.6.8", null, null, [], [])).Step);
        var rolling = new RolloutFacts("1.6.8", T0, T0, [new IstiodPodFact("a", T0.AddHours(-1), T0.AddHours(-1)), new IstiodPodFact("b", T0.AddSeconds(3), null)], []);
        Assert.Equal(RolloutStep.WaitForIstiod, RolloutGate.Evaluate(rolling).Step);
    }

    [Theory]
    [InlineData("ReplicaSet", "httpbin-5c4f9d", "5c4f9d", "Deployment", "httpbin")]
    [InlineData("ReplicaSet", "my-app-v2-abc", null, "Deployment", "my-app-v2")]
    [InlineData("StatefulSet", "db", null, "StatefulSet", "db")]
    [InlineData(null, null, null, null, null)]
    public void Owner_of_a_replica_set_pod_is_its_deployment(string? kind, string? name, string? hash, string? ownerKind, string? ownerName) =>
        Assert.Equal((ownerKind, ownerName), RolloutGate.Owner(kind, name, hash));

    private static RolloutFacts Facts(string version, DateTimeOffset created, DateTimeOffset changed, DateTimeOffset istiod, params ProxyPodFact[] pods) =>
        new(version, created, changed, [new IstiodPodFact("istiod-1", istiod, istiod.AddSeconds(1))], pods);

    private static ProxyPodFact Pod(string ns, string name, DateTimeOffset created, bool gateway = false, string? owner = "Deployment") =>
        new(ns, name, created, owner, owner is null ? null : string.Join('-', name.Split('-')[..^2]), gateway);

    private static CacertsFiles MeshFiles(string cluster)
    {
        var (ca, key) = TrustPki.Intermediate(cluster);
        return CacertsFiles.Build(ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), TrustPki.Root.ExportCertificatePem(), [TrustPki.Root.ExportCertificatePem()]);
    }

    private static string Pem(string pem) => pem.Replace("\r\n", "\n").Trim() + "\n";

    private static JsonObject Secret(string name, string ca, string key, string roots, string chain, bool managed)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "istio-system" };
        if (managed)
        {
            metadata["labels"] = new JsonObject { [ManagedLabels.ManagedBy] = ManagedLabels.ManagedByValue };
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = metadata,
            ["data"] = new JsonObject { ["ca-cert.pem"] = B64(ca), ["ca-key.pem"] = B64(key), ["root-cert.pem"] = B64(roots), ["cert-chain.pem"] = B64(chain) },
        };
    }
}
