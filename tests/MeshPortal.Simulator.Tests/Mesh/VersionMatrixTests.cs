using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// Every rule of the multi-network path on every release from the first east-west gateway (1.8) to 1.28: the docs' recipe answers
/// 200, and breaking one precondition gives that rule's answer (or, where the release behaves differently, that release's answer).
/// </summary>
public sealed class VersionMatrixTests
{
    private static readonly string[] Versions = ["1.8.0", "1.8.6", "1.9.5", "1.10.0", "1.11.0", "1.18.0", "1.20.0", "1.22.0", "1.24.3", "1.28.0"];

    private static readonly Dictionary<string, (Action<World> Break, Func<SimVersion, MeshVerdict> Verdict)> Table = new()
    {
        ["recipe works"] = (_ => { }, _ => MeshVerdict.Ok),
        ["DNS broken"] = (w => w["cluster-1"].Faults.DnsBroken = true, _ => MeshVerdict.NotResolved),
        ["no remote secret"] = (w => w["cluster-1"].Delete("", "secrets", "istio-system", "istio-remote-secret-cluster-2"), _ => MeshVerdict.NoHealthyUpstream),
        ["remote secret with a wrong token"] = (w => MultiPrimary.RemoteSecret(w, "cluster-1", "cluster-2", token: "wrong"), _ => MeshVerdict.NoHealthyUpstream),
        ["reader tokens revoked"] = (w => w["cluster-2"].Faults.ReaderTokensRevoked = true, _ => MeshVerdict.NoHealthyUpstream),
        ["no east-west gateway pod"] = (w => w.Update("cluster-2", "apps", "deployments", "istio-system", "istio-eastwestgateway", d => d["spec"]!["replicas"] = 0),
            _ => MeshVerdict.GatewayDown),
        ["east-west gateway down"] = (w => w["cluster-2"].Faults.EastWestGatewayDown = true, _ => MeshVerdict.GatewayDown),
        ["networks partitioned"] = (w => w.Mesh.Partition("network1", "network2"), _ => MeshVerdict.NetworkPartition),
        ["15443 removed from the east-west Service"] = (w => w.Update("cluster-2", "", "services", "istio-system", "istio-eastwestgateway",
            s => s["spec"]!["ports"]!.AsArray().Remove(s["spec"]!["ports"]!.AsArray().Single(p => (int)p!["port"]! == 15443))), _ => MeshVerdict.GatewayPortWrong),
        ["no cross-network Gateway"] = (w => w["cluster-2"].Delete("networking.istio.io", "gateways", "istio-system", "cross-network-gateway"),
            _ => MeshVerdict.PassthroughListenerMissing),
        ["cross-network Gateway for other hosts"] = (w => w.Update("cluster-2", "networking.istio.io", "gateways", "istio-system", "cross-network-gateway",
            g => g["spec"]!["servers"]![0]!["hosts"] = new JsonArray("*.global")), _ => MeshVerdict.NoFilterChain),
        ["east-west router mode standard"] = (w => MeshRuleTableTests.Env(w, "cluster-2", "istio-eastwestgateway", "ISTIO_META_ROUTER_MODE", "standard"),
            v => v < new SimVersion(1, 11) ? MeshVerdict.GatewayClusterMissing : MeshVerdict.Ok),
        ["plaintext by DestinationRule"] = (w => w["cluster-1"].Put(SeedWorld.Obj("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"DestinationRule","metadata":{"name":"plain","namespace":"foo"},
             "spec":{"host":"httpbin.bar.svc.cluster.local","trafficPolicy":{"tls":{"mode":"DISABLE"}}}}
            """)), _ => MeshVerdict.NoHealthyUpstream),
        ["target pods not ready"] = (w => w.Update("cluster-2", "apps", "deployments", "bar", "httpbin", d => d["spec"]!["replicas"] = 0), _ => MeshVerdict.NoHealthyUpstream),
        ["target trusts another root"] = (w =>
        {
            w["cluster-2"].Put(TestPki.CacertsSecret(TestPki.Intermediate(TestPki.OtherRoot, "cluster-2"), TestPki.OtherRoot));
            w.RolloutRestart("cluster-2", "istio-system", "istiod");
            w.RolloutRestart("cluster-2", "bar", "httpbin");
        }, _ => MeshVerdict.TrustMismatch),
        ["authorization policy denies"] = (w => w["cluster-2"].Put(SeedWorld.Obj("""
            {"apiVersion":"security.istio.io/v1beta1","kind":"AuthorizationPolicy","metadata":{"name":"deny","namespace":"bar"},"spec":{"action":"DENY","rules":[{}]}}
            """)), _ => MeshVerdict.RbacDenied),
        ["istiod down in the target cluster"] = (w => w["cluster-2"].Faults.IstiodDown = true, _ => MeshVerdict.Ok),
    };

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var version in Versions)
            {
                foreach (var name in Table.Keys)
                {
                    data.Add(version, name);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_on_each_release(string version, string name)
    {
        var (breakIt, verdict) = Table[name];
        var world = MultiPrimary.Apply(MultiPrimary.Install(twoNetworks: true, version: version), twoNetworks: true);
        breakIt(world);

        var expected = verdict(SimVersion.Parse(version));
        var answer = world.Send(MultiPrimary.Httpbin, 8000);
        Assert.True(expected == answer.Verdict, $"{version} {name}: expected {expected}, got {answer.Verdict}: {answer.Explanation}");
    }
}
