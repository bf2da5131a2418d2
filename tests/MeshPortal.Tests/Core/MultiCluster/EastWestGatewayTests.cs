using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class EastWestGatewayTests
{
    private static MeshFacts Modern(string id, string version = "1.24.0", string? revision = "default", EastWestGatewayFacts? eastWest = null) => new()
    {
        IstioVersion = version, IstioClusterId = id, MeshId = "mesh1", Revision = revision, EastWest = eastWest,
    };

    private static ClusterTarget Target(int id, MeshFacts facts, string? network) =>
        new(id, $"c{id}", facts.IstioVersion, null, null, null, false, "coredns", network, CacertsDecision.None, "v1.30.0", facts);

    private static MeshPeer Peer(int id) => new(id, $"c{id}", $"id{id}", $"https://10.0.0.{id}:6443", "Q0E=", "tok");

    [Fact]
    public void Renders_what_the_gateway_chart_renders_with_gen_eastwest_gateway_values()
    {
        var objects = EastWestGateway.Objects("net2", "canary", "mesh");
        Assert.Equal(["ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"], objects.Select(o => o.Ref.Kind));
        Assert.All(objects, o => Assert.Equal(("istio-system", "istio-eastwestgateway", ApplyMode.Owned), (o.Ref.Namespace, o.Ref.Name, o.Mode)));

        var role = objects[1].Body;
        Assert.Equal("""[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","watch","list"]}]""", role["rules"]!.ToJsonString());

        var deployment = objects[3].Body;
        var template = deployment["spec"]!["template"]!;
        Assert.Equal("gateway", (string?)template["metadata"]!["annotations"]!["inject.istio.io/templates"]);
        var labels = template["metadata"]!["labels"]!.AsObject();
        Assert.Equal(("true", "canary", "net2", "eastwestgateway", "istio-eastwestgateway"),
            ((string?)labels["sidecar.istio.io/inject"], (string?)labels["istio.io/rev"], (string?)labels["topology.istio.io/network"], (string?)labels["istio"], (string?)labels["app"]));
        var proxy = template["spec"]!["containers"]![0]!;
        Assert.Equal(("istio-proxy", "auto"), ((string?)proxy["name"], (string?)proxy["image"]));
        Assert.Equal("""[{"name":"ISTIO_META_REQUESTED_NETWORK_VIEW","value":"net2"}]""", proxy["env"]!.ToJsonString());
        Assert.Equal("istio-eastwestgateway", (string?)template["spec"]!["serviceAccountName"]);

        var service = objects[4].Body;
        Assert.Equal("LoadBalancer", (string?)service["spec"]!["type"]);
        Assert.Equal("net2", (string?)service["metadata"]!["labels"]!["topology.istio.io/network"]);
        Assert.Equal([("status-port", 15021), ("tls", 15443), ("tls-istiod", 15012), ("tls-webhook", 15017)],
            service["spec"]!["ports"]!.AsArray().Select(p => ((string)p!["name"]!, (int)p["port"]!)));

        // The default revision carries no istio.io/rev (the chart sets it only for a named revision).
        var byDefault = EastWestGateway.Objects("net2", "default", "mesh")[3].Body["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.False(byDefault.ContainsKey("istio.io/rev"));
    }

    [Fact]
    public void A_gateway_installed_without_meshportal_is_used_as_it_is()
    {
        var cluster = Target(2, Modern("id2"), "net2");
        var theirs = new JsonObject { ["kind"] = "Service", ["metadata"] = new JsonObject { ["name"] = "istio-eastwestgateway", ["labels"] = new JsonObject { ["app"] = "x" } } };
        var plan = EastWestGateway.Plan(cluster, new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [EastWestGateway.ServiceRef] = theirs }), "mesh");
        Assert.Empty(plan.Objects);
        Assert.Contains("installed without MeshPortal", Assert.Single(plan.Notes), StringComparison.Ordinal);

        var mine = new JsonObject { ["kind"] = "Service", ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [ManagedLabels.ManagedBy] = ManagedLabels.ManagedByValue } } };
        Assert.Equal(5, EastWestGateway.Plan(cluster, new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [EastWestGateway.ServiceRef] = mine }), "mesh").Objects.Count);
    }

    [Theory]
    [InlineData("1.11.3", "net2", "exists from 1.12")]
    [InlineData("1.24.0", null, "has no network")]
    public void Clusters_that_cannot_take_it_get_the_reason(string version, string? network, string reason)
    {
        Assert.Contains(reason, EastWestGateway.CannotDeploy("c2", network, Modern("id2", version)), StringComparison.Ordinal);
        Assert.Contains("run its connection check", EastWestGateway.CannotDeploy("c2", "net2", null), StringComparison.Ordinal);
        Assert.Null(EastWestGateway.CannotDeploy("c2", "net2", Modern("id2")));
    }

    [Fact]
    public void The_mesh_planner_deploys_it_only_where_asked_and_opens_it_with_the_cross_network_gateway()
    {
        var members = new[] { new MeshMember("c1", Modern("id1"), "net1"), new MeshMember("c2", Modern("id2"), "net2") };
        var asked = new MultiPrimaryPlanner([Peer(1), Peer(2)], members, [2]);
        var two = Target(2, Modern("id2"), "net2");
        Assert.Equal(EastWestGateway.Reads, asked.Reads(two));
        var plan = asked.Plan(two, LiveObjects.Empty);
        Assert.Contains(plan.Objects, o => o.Ref.Kind == "Deployment" && o.Ref.Name == "istio-eastwestgateway");
        Assert.Contains(plan.Objects, o => o.Ref.Kind == "Gateway" && o.Ref.Name == MultiPrimaryPlanner.CrossNetworkGatewayName);
        Assert.DoesNotContain(plan.Notes, n => n.Contains("has no east-west gateway", StringComparison.Ordinal));

        var one = asked.Plan(Target(1, Modern("id1"), "net1"), LiveObjects.Empty);
        Assert.DoesNotContain(one.Objects, o => o.Ref.Kind == "Deployment");
        Assert.Contains(one.Notes, n => n.Contains("Deploy east-west gateway", StringComparison.Ordinal));

        var notAsked = new MultiPrimaryPlanner([Peer(1), Peer(2)], members).Plan(two, LiveObjects.Empty);
        Assert.DoesNotContain(notAsked.Objects, o => o.Ref.Kind == "Deployment");
    }

    [Fact]
    public void Its_types_are_listed_only_while_desired_or_recorded_so_other_pushes_list_nothing_more()
    {
        var served = new Dictionary<string, IReadOnlyList<string>> { [""] = ["v1"], ["apps"] = ["v1"], ["rbac.authorization.k8s.io"] = ["v1"] };
        var plain = ManagedTypes.ToList(served, []);
        Assert.DoesNotContain(plain, t => t.Plural is "deployments" or "serviceaccounts" or "roles" or "rolebindings");

        var withdrawn = ManagedTypes.ToList(served, [], [("apps/v1", "Deployment"), ("v1", "ServiceAccount"), ("rbac.authorization.k8s.io/v1", "Role"), ("v1", "Secret")]);
        Assert.Equal(["deployments", "serviceaccounts", "roles"], withdrawn.Skip(plain.Count).Select(t => t.Plural));

        var desired = ManagedTypes.ToList(served, EastWestGateway.Objects("net2", null, "mesh"));
        Assert.Equal(4, desired.Count(t => t.Plural is "deployments" or "serviceaccounts" or "roles" or "rolebindings"));
    }
}
