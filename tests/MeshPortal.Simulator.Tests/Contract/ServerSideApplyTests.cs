using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>Server-side apply of Istio objects through CustomObjects.PatchNamespacedCustomObjectAsync, as the portal does it.</summary>
public sealed class ServerSideApplyTests(MeshFixture fx) : IClassFixture<MeshFixture>
{
    private const string Group = "networking.istio.io";

    private static Dictionary<string, object> ServiceEntry(string name, string version, string address, string endpoint) => new()
    {
        ["apiVersion"] = $"{Group}/{version}",
        ["kind"] = "ServiceEntry",
        ["metadata"] = new Dictionary<string, object> { ["name"] = name, ["namespace"] = "foo", ["labels"] = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "meshportal" } },
        ["spec"] = new Dictionary<string, object>
        {
            ["hosts"] = new[] { "httpbin.bar.global" },
            ["location"] = "MESH_INTERNAL",
            ["ports"] = new[] { new Dictionary<string, object> { ["name"] = "http1", ["number"] = 8000, ["protocol"] = "http" } },
            ["resolution"] = "DNS",
            ["addresses"] = new[] { address },
            ["endpoints"] = new[] { new Dictionary<string, object> { ["address"] = endpoint, ["ports"] = new Dictionary<string, int> { ["http1"] = 15443 } } },
        },
    };

    private static JsonObject Json(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject();

    [Fact]
    public async Task Apply_creates_then_updates_with_managed_fields_and_versions()
    {
        using var client = fx.Client();
        var first = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-ssa", "v1beta1", "240.0.0.2", "203.0.113.2"), V1Patch.PatchType.ApplyPatch),
            Group, "v1beta1", "foo", "serviceentries", "se-ssa", fieldManager: "meshportal", force: true));
        Assert.Equal("networking.istio.io/v1beta1", (string?)first["apiVersion"]);
        Assert.Equal(1, (int)first["metadata"]!["generation"]!);
        var managed = first["metadata"]!["managedFields"]!.AsArray().Single()!;
        Assert.Equal("meshportal", (string?)managed["manager"]);
        Assert.Equal("Apply", (string?)managed["operation"]);
        Assert.NotNull(managed["fieldsV1"]!["f:spec"]!["f:hosts"]);
        Assert.NotNull(managed["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:app.kubernetes.io/managed-by"]);

        var again = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-ssa", "v1beta1", "240.0.0.2", "203.0.113.2"), V1Patch.PatchType.ApplyPatch),
            Group, "v1beta1", "foo", "serviceentries", "se-ssa", fieldManager: "meshportal", force: true));
        Assert.Equal((string?)first["metadata"]!["resourceVersion"], (string?)again["metadata"]!["resourceVersion"]);

        var changed = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-ssa", "v1beta1", "240.0.0.9", "203.0.113.2"), V1Patch.PatchType.ApplyPatch),
            Group, "v1beta1", "foo", "serviceentries", "se-ssa", fieldManager: "meshportal", force: true));
        Assert.Equal(2, (int)changed["metadata"]!["generation"]!);
        Assert.Equal("240.0.0.9", (string?)changed["spec"]!["addresses"]![0]);

        // Stored version-independently: readable through v1alpha3 too (cluster-1 runs Istio 1.6, which has no v1).
        var old = Json(await client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1alpha3", "foo", "serviceentries", "se-ssa"));
        Assert.Equal("networking.istio.io/v1alpha3", (string?)old["apiVersion"]);
        await ApiAssert.FailsWith(HttpStatusCode.NotFound, () => client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1", "foo", "serviceentries", "se-ssa"));
    }

    [Fact]
    public async Task Conflicting_managers_get_409_unless_forced_and_force_moves_ownership()
    {
        using var client = fx.Client("cluster-2");
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-conflict", "v1", "240.0.0.3", "203.0.113.1"), V1Patch.PatchType.ApplyPatch),
            Group, "v1", "foo", "serviceentries", "se-conflict", fieldManager: "meshportal", force: false);

        var status = await ApiAssert.FailsWith(HttpStatusCode.Conflict, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-conflict", "v1", "240.0.0.4", "203.0.113.1"), V1Patch.PatchType.ApplyPatch),
            Group, "v1", "foo", "serviceentries", "se-conflict", fieldManager: "someone-else", force: false));
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal([".spec.addresses"], ApiAssert.CauseFields(status));
        Assert.Contains("conflict with \"meshportal\"", (string?)status["message"]);

        // Same values are shared, not conflicting.
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-conflict", "v1", "240.0.0.3", "203.0.113.1"), V1Patch.PatchType.ApplyPatch),
            Group, "v1", "foo", "serviceentries", "se-conflict", fieldManager: "co-owner", force: false);

        var forced = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-conflict", "v1", "240.0.0.4", "203.0.113.1"), V1Patch.PatchType.ApplyPatch),
            Group, "v1", "foo", "serviceentries", "se-conflict", fieldManager: "someone-else", force: true));
        Assert.Equal("240.0.0.4", (string?)forced["spec"]!["addresses"]![0]);
        var owners = forced["metadata"]!["managedFields"]!.AsArray()
            .Where(m => m!["fieldsV1"]?["f:spec"]?["f:addresses"] is not null).Select(m => (string?)m!["manager"]).ToList();
        Assert.Equal(["someone-else"], owners);

        // The previous owner now conflicts when it re-applies its old value without force.
        await ApiAssert.FailsWith(HttpStatusCode.Conflict, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(ServiceEntry("se-conflict", "v1", "240.0.0.3", "203.0.113.1"), V1Patch.PatchType.ApplyPatch),
            Group, "v1", "foo", "serviceentries", "se-conflict", fieldManager: "meshportal", force: false));
    }

    [Fact]
    public async Task Fields_dropped_from_the_applied_config_are_removed()
    {
        using var client = fx.Client();
        var full = ServiceEntry("se-prune", "v1beta1", "240.0.0.5", "203.0.113.2");
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(full, V1Patch.PatchType.ApplyPatch),
            Group, "v1beta1", "foo", "serviceentries", "se-prune", fieldManager: "meshportal", force: true);
        ((Dictionary<string, object>)full["metadata"]).Remove("labels");
        var result = Json(await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(full, V1Patch.PatchType.ApplyPatch),
            Group, "v1beta1", "foo", "serviceentries", "se-prune", fieldManager: "meshportal", force: true));
        Assert.Null(result["metadata"]!["labels"]);
    }

    [Fact]
    public async Task Apply_without_field_manager_is_422()
    {
        var cluster = fx.Mesh["cluster-1"];
        using var http = TestHttp.For(cluster);
        var body = new StringContent(JsonSerializer.Serialize(ServiceEntry("se-nofm", "v1beta1", "240.0.0.6", "203.0.113.2")));
        body.Headers.ContentType = new("application/apply-patch+yaml");
        var response = await http.PatchAsync(new Uri(cluster.Server, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries/se-nofm"), body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("fieldManager: Required value", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Apply_accepts_a_yaml_body()
    {
        var cluster = fx.Mesh["cluster-1"];
        using var http = TestHttp.For(cluster);
        var body = new StringContent("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: yaml-applied
              namespace: default
            data:
              answer: "42"
              plain: text
            """);
        body.Headers.ContentType = new("application/apply-patch+yaml");
        var response = await http.PatchAsync(new Uri(cluster.Server, "/api/v1/namespaces/default/configmaps/yaml-applied?fieldManager=test"), body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cm = cluster.Get("", "configmaps", "default", "yaml-applied")!;
        Assert.Equal("42", (string?)cm["data"]!["answer"]);
    }

    [Fact]
    public async Task Invalid_service_entry_is_422_for_the_schema_then_400_from_istiods_webhook()
    {
        using var client = fx.Client();
        var bad = ServiceEntry("se-bad", "v1beta1", "not-an-ip", "203.0.113.2");
        var spec = (Dictionary<string, object>)bad["spec"];
        spec["location"] = "SOMEWHERE";
        spec["ports"] = new[] { new Dictionary<string, object> { ["name"] = "http1", ["number"] = 70000 } };
        var schema = await ApiAssert.FailsWith(HttpStatusCode.UnprocessableEntity, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(bad, V1Patch.PatchType.ApplyPatch), Group, "v1beta1", "foo", "serviceentries", "se-bad", fieldManager: "meshportal", force: true));
        Assert.Equal("Invalid", (string?)schema["reason"]);
        Assert.Equal("ServiceEntry", (string?)schema["details"]!["kind"]);
        Assert.Equal(Group, (string?)schema["details"]!["group"]);
        Assert.Equal(["spec.location"], ApiAssert.CauseFields(schema));

        // Istio 1.6.8's CRD has no bound on port numbers: istiod's webhook refuses them, with the other mistakes.
        spec["location"] = "MESH_INTERNAL";
        spec["endpoints"] = new[] { new Dictionary<string, object> { ["address"] = "203.0.113.2", ["ports"] = new Dictionary<string, int> { ["other"] = 15443 } } };
        var webhook = await ApiAssert.FailsWith(HttpStatusCode.BadRequest, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(bad, V1Patch.PatchType.ApplyPatch), Group, "v1beta1", "foo", "serviceentries", "se-bad", fieldManager: "meshportal", force: true));
        Assert.Null(webhook["reason"]);
        Assert.Equal(
            "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: 3 errors occurred:\n" +
            "\t* not-an-ip is not a valid IP\n\t* endpoint port 15443 is not defined by the service entry\n\t* port number 70000 must be in the range 1..65535\n\n",
            (string?)webhook["message"]);
        Assert.Null(fx.Mesh["cluster-1"].Get(Group, "serviceentries", "foo", "se-bad"));
    }
}
