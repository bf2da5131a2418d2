using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>
/// Admission over HTTP as the portal's C# client meets it: the Status bodies (422 schema, 400 webhook denial, 500 typed
/// apply), Warning headers, fieldValidation by Kubernetes version, served versions (404) and server-side apply on 1.15/1.16.
/// </summary>
public sealed class AdmissionHttpTests(AdmissionMeshFixture fx) : IClassFixture<AdmissionMeshFixture>
{
    private static string ServiceEntry(string name, string extraSpec = "") =>
        "{\"apiVersion\":\"networking.istio.io/v1beta1\",\"kind\":\"ServiceEntry\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"foo\"}," +
        "\"spec\":{\"hosts\":[\"api.example.com\"],\"resolution\":\"DNS\",\"ports\":[{\"name\":\"https\",\"number\":443,\"protocol\":\"TLS\"}]" + extraSpec + "}}";

    private static async Task<JsonObject> Body(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task Webhook_denial_is_a_400_status_without_reason_and_nothing_is_stored()
    {
        using var client = fx.Client("istio-1-24");
        var rule = new Dictionary<string, object>
        {
            ["apiVersion"] = "networking.istio.io/v1", ["kind"] = "DestinationRule",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "bad-subset", ["namespace"] = "foo" },
            ["spec"] = new Dictionary<string, object> { ["host"] = "httpbin", ["subsets"] = new[] { new Dictionary<string, object> { ["name"] = "v_1" } } },
        };
        var status = await ApiAssert.FailsWith(HttpStatusCode.BadRequest, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(rule, V1Patch.PatchType.ApplyPatch), "networking.istio.io", "v1", "foo", "destinationrules", "bad-subset", fieldManager: "meshportal"));
        Assert.Null(status["reason"]);
        Assert.Null(status["details"]);
        Assert.Equal("admission webhook \"validation.istio.io\" denied the request: configuration is invalid: subset name is invalid: v_1", (string?)status["message"]);
        Assert.Null(fx.Mesh["istio-1-24"].Get("networking.istio.io", "destinationrules", "foo", "bad-subset"));
    }

    [Fact]
    public async Task Schema_errors_are_422_with_fields_before_the_webhook_runs()
    {
        using var http = TestHttp.For(fx.Mesh["istio-1-24"]);
        var response = await fx.SendAsync("istio-1-24", HttpMethod.Post, "/apis/networking.istio.io/v1/namespaces/foo/serviceentries",
            ServiceEntry("bad-port", ""","endpoints":[{"address":"unix:///var/run/a.sock","ports":{"https":443}}],"exportTo":["a","a"]"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await Body(response);
        Assert.Equal("ServiceEntry.networking.istio.io \"bad-port\" is invalid: spec.endpoints[0]: Invalid value: \"object\": UDS may not include ports",
            (string?)status["message"]);
        Assert.Equal("spec.endpoints[0]", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Warnings_come_back_in_warning_headers()
    {
        var response = await fx.SendAsync("istio-1-24", HttpMethod.Post, "/apis/networking.istio.io/v1/namespaces/foo/serviceentries",
            """{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry","metadata":{"name":"tcp-no-vip","namespace":"foo"},"spec":{"hosts":["db.example.com"],"resolution":"DNS","ports":[{"name":"tcp","number":5432,"protocol":"TCP"}]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"addresses are required for ports serving TCP (or unset) protocol when ISTIO_META_DNS_AUTO_ALLOCATE is not set on a proxy\""],
            response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task Unknown_fields_follow_field_validation_and_the_kubernetes_version()
    {
        var bogus = ServiceEntry("bogus-{0}", ""","bogus":true""");

        // Kubernetes 1.30 (Istio 1.24's): Warn by default, the field is dropped.
        var warned = await fx.SendAsync("istio-1-24", HttpMethod.Post, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries", bogus.Replace("{0}", "warn"));
        Assert.Equal(HttpStatusCode.Created, warned.StatusCode);
        Assert.Equal(["unknown field \"spec.bogus\""], AdmissionMeshFixture.Warnings(warned));
        Assert.Null(fx.Mesh["istio-1-24"].Get("networking.istio.io", "serviceentries", "foo", "bogus-warn")!["spec"]!["bogus"]);

        // Kubernetes 1.18 (Istio 1.6's) ignores it silently.
        var ignored = await fx.SendAsync("istio-1-6", HttpMethod.Post, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries", bogus.Replace("{0}", "ignore"));
        Assert.Equal(HttpStatusCode.Created, ignored.StatusCode);
        Assert.Empty(AdmissionMeshFixture.Warnings(ignored));

        var strict = await fx.SendAsync("istio-1-24", HttpMethod.Post, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries?fieldValidation=Strict", bogus.Replace("{0}", "strict"));
        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal("ServiceEntry in version \"v1beta1\" cannot be handled as a ServiceEntry: strict decoding error: unknown field \"spec.bogus\"",
            (string?)(await Body(strict))["message"]);

        var patch = await fx.SendAsync("istio-1-24", HttpMethod.Patch, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries/bogus-warn?fieldValidation=Strict",
            """{"spec":{"bogus":1}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, patch.StatusCode);
        Assert.EndsWith("strict decoding error: unknown field \"spec.bogus\"", (string?)(await Body(patch))["message"]);
        Assert.Equal("patch", (string?)(await Body(patch))["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Typed_apply_of_an_undeclared_field_is_a_500_like_structured_merge_diff()
    {
        var response = await fx.SendAsync("istio-1-22", HttpMethod.Patch, "/apis/networking.istio.io/v1/namespaces/foo/serviceentries/typo?fieldManager=t",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: typo, namespace: foo}\nspec:\n  hosts: [a.example.com]\n  location: MESH_EXTERNAL\n  endpoint: []\n",
            "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var status = await Body(response);
        Assert.Null(status["reason"]);
        Assert.Equal("failed to create typed patch object (foo/typo; networking.istio.io/v1, Kind=ServiceEntry): .spec.endpoint: field not declared in schema",
            (string?)status["message"]);
    }

    [Theory]
    [InlineData("istio-1-18", "networking.istio.io/v1/namespaces/foo/serviceentries", HttpStatusCode.NotFound)]
    [InlineData("istio-1-22", "networking.istio.io/v1/namespaces/foo/serviceentries", HttpStatusCode.OK)]
    [InlineData("istio-1-28", "networking.istio.io/v1/namespaces/foo/envoyfilters", HttpStatusCode.NotFound)]
    [InlineData("istio-1-18", "security.istio.io/v1/namespaces/foo/authorizationpolicies", HttpStatusCode.OK)]
    [InlineData("istio-1-18", "security.istio.io/v1/namespaces/foo/peerauthentications", HttpStatusCode.NotFound)]
    [InlineData("istio-1-22", "security.istio.io/v1/namespaces/foo/peerauthentications", HttpStatusCode.OK)]
    [InlineData("istio-1-22", "multicluster.x-k8s.io/v1alpha1/namespaces/foo/serviceexports", HttpStatusCode.NotFound)]
    [InlineData("istio-1-24", "multicluster.x-k8s.io/v1alpha1/namespaces/foo/serviceimports", HttpStatusCode.OK)]
    public async Task Versions_a_release_does_not_serve_are_404(string cluster, string path, HttpStatusCode expected)
    {
        var response = await fx.SendAsync(cluster, HttpMethod.Get, "/apis/" + path);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.Equal("the server could not find the requested resource", (string?)(await Body(response))["message"]);
        }

        var parts = path.Split('/');
        var resources = await fx.SendAsync(cluster, HttpMethod.Get, $"/apis/{parts[0]}/{parts[1]}");
        var listed = resources.IsSuccessStatusCode &&
                     (await Body(resources))["resources"]!.AsArray().Any(r => (string?)r!["name"] == parts[^1]);
        Assert.Equal(expected == HttpStatusCode.OK, listed);
    }

    [Fact]
    public async Task Server_side_apply_is_refused_by_a_1_15_api_server_and_works_from_1_16()
    {
        const string body = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: default}\ndata: {a: b}\n";
        var old = await fx.SendAsync("k8s-1-15", HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa?fieldManager=t", body, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, old.StatusCode);
        var status = await Body(old);
        Assert.Equal("UnsupportedMediaType", (string?)status["reason"]);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, " +
                     "application/merge-patch+json, application/strategic-merge-patch+json", (string?)status["message"]);

        var se = await fx.SendAsync("k8s-1-15", HttpMethod.Patch, "/apis/networking.istio.io/v1beta1/namespaces/foo/serviceentries/x?fieldManager=t",
            ServiceEntry("x"), "application/apply-patch+yaml");
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json",
            (string?)(await Body(se))["message"]);

        var current = await fx.SendAsync("k8s-1-16", HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/ssa?fieldManager=t", body, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, current.StatusCode);
    }

    [Theory]
    [InlineData("istio-1-9", "error decoding configuration: unknown field \"prority\" in v1alpha3.EnvoyFilter_EnvoyConfigObjectPatch")]
    [InlineData("istio-1-22", null)]
    public async Task Envoy_filter_crds_that_preserve_unknown_fields_leave_them_to_istiods_strict_decoder(string cluster, string? denial)
    {
        var response = await fx.SendAsync(cluster, HttpMethod.Post, "/apis/networking.istio.io/v1alpha3/namespaces/foo/envoyfilters",
            """{"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter","metadata":{"name":"typo","namespace":"foo"},"spec":{"configPatches":[{"applyTo":"CLUSTER","prority":1,"patch":{"operation":"REMOVE"}}]}}""");
        if (denial is null)
        {
            // Istio 1.22's structural CRD prunes the field (with a warning: fieldValidation defaults to Warn on Kubernetes 1.30).
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Contains("unknown field \"spec.configPatches[0].prority\"", AdmissionMeshFixture.Warnings(response));
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"admission webhook \"validation.istio.io\" denied the request: {denial}", (string?)(await Body(response))["message"]);
    }

    [Fact]
    public async Task Strategic_merge_patch_is_not_accepted_for_custom_resources()
    {
        var response = await fx.SendAsync("istio-1-24", HttpMethod.Patch, "/apis/networking.istio.io/v1/namespaces/foo/serviceentries/x",
            "{}", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, " +
                     "application/merge-patch+json, application/apply-patch+yaml", (string?)(await Body(response))["message"]);
    }

    [Fact]
    public async Task Crds_are_listed_per_release()
    {
        var list = await Body(await fx.SendAsync("istio-1-18", HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"));
        var crds = list["items"]!.AsArray().ToDictionary(i => (string)i!["metadata"]!["name"]!, i => i!["spec"]!["versions"]!.AsArray().Select(v => (string)v!["name"]!).ToList());
        Assert.Equal(["v1alpha3", "v1beta1"], crds["serviceentries.networking.istio.io"]);
        Assert.Equal(["v1beta1", "v1"], crds["authorizationpolicies.security.istio.io"]);
        Assert.DoesNotContain("serviceexports.multicluster.x-k8s.io", crds.Keys);
        var one = await fx.SendAsync("istio-1-24", HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/serviceexports.multicluster.x-k8s.io");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
    }

    [Fact]
    public async Task Openapi_publishes_the_crd_schema_of_the_release()
    {
        var old = await Body(await fx.SendAsync("istio-1-6", HttpMethod.Get, "/openapi/v3/apis/networking.istio.io/v1beta1"));
        var resolution = old["components"]!["schemas"]!["io.istio.networking.v1beta1.ServiceEntry"]!["properties"]!["spec"]!["properties"]!["resolution"]!["enum"]!;
        Assert.Equal(["NONE", "STATIC", "DNS"], resolution.AsArray().Select(e => (string?)e));
        var current = await Body(await fx.SendAsync("istio-1-24", HttpMethod.Get, "/openapi/v3/apis/networking.istio.io/v1beta1"));
        Assert.Contains("DNS_ROUND_ROBIN", current["components"]!["schemas"]!["io.istio.networking.v1beta1.ServiceEntry"]!["properties"]!["spec"]!["properties"]!["resolution"]!["enum"]!.AsArray().Select(e => (string?)e));
    }
}
