using System.Text.Json.Nodes;
using MeshPortal.Simulator.Validation.Cel;
using MeshPortal.Simulator.Validation.Schemas;
using MeshPortal.Simulator.Validation.Webhook;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>The CRD schemas of each Istio tag as the API server applies them (OpenAPI + CEL), the CEL subset, and istiod's type registry.</summary>
public sealed class SchemaAndCelTests
{
    private static List<string> Errors(string istio, string kind, string version, string spec)
    {
        var schema = CrdSchemas.ForIstio(istio).Get(kind, version)!;
        var obj = JsonNode.Parse($$"""{"apiVersion":"x","kind":"{{kind}}","metadata":{"name":"n"},"spec":{{spec}}}""")!.AsObject();
        UnknownFields.Prune(obj, schema);
        var errors = SchemaValidator.Validate(obj, schema);
        CelValidation.Validate(obj, schema, "", errors);
        return [.. errors.Select(e => $"{e.Field}: {e.Message}")];
    }

    [Theory]
    [InlineData("1.6.8", "spec.resolution: Unsupported value: \"DNS_ROUND_ROBIN\": supported values: \"NONE\", \"STATIC\", \"DNS\"")]
    [InlineData("1.18.0", null)]
    public void Dns_round_robin_is_in_the_service_entry_enum_from_later_releases(string istio, string? expected)
    {
        var errors = Errors(istio, "ServiceEntry", "v1beta1", """{"hosts":["a.example.com"],"resolution":"DNS_ROUND_ROBIN"}""");
        Assert.Equal(expected is null ? [] : [expected], errors);
    }

    [Theory]
    [InlineData("1.22.0", new string[0])]
    [InlineData("1.24.0", new[] { "spec.endpoints[0].address: Invalid value: \"string\": UDS must be an absolute path or abstract socket" })]
    [InlineData("1.28.0", new[] { "spec.endpoints[0].address: Invalid value: \"string\": UDS must be an absolute path or abstract socket" })]
    public void Service_entry_cel_rules_arrive_with_their_crds(string istio, string[] expected) =>
        Assert.Equal(expected, Errors(istio, "ServiceEntry", "v1beta1", """{"hosts":["a.example.com"],"resolution":"STATIC","endpoints":[{"address":"unix://relative.sock"}]}"""));

    [Fact]
    public void Cel_rules_on_map_values_are_addressed_by_key() =>
        Assert.Equal(["spec.endpoints[0].ports[http]: Invalid value: \"integer\": port must be between 1-65535"],
            Errors("1.24.0", "ServiceEntry", "v1", """{"hosts":["a.example.com"],"ports":[{"name":"http","number":80}],"resolution":"STATIC","endpoints":[{"address":"1.1.1.1","ports":{"http":70000}}]}"""));

    [Fact]
    public void Uint32_bounds_print_like_go() =>
        Assert.Equal(["spec.ports[0].number: Invalid value: 4294967296: spec.ports[0].number in body should be less than or equal to 4.294967295e+09"],
            Errors("1.22.0", "ServiceEntry", "v1", """{"hosts":["a.example.com"],"ports":[{"name":"http","number":4294967296}]}"""));

    [Fact]
    public void One_of_string_match_with_two_alternatives_fails_on_the_nil_path() =>
        Assert.Equal(["<nil>: Invalid value: \"\": \"spec.http[0].match[0].uri\" must validate one and only one schema (oneOf). Found 2 valid alternatives"],
            Errors("1.9.5", "VirtualService", "v1beta1", """{"hosts":["a"],"http":[{"match":[{"uri":{"exact":"/a","prefix":"/b"}}],"route":[{"destination":{"host":"a"}}]}]}"""));

    [Fact]
    public void Duration_cel_rules_need_at_least_a_millisecond() =>
        Assert.Equal(["spec.http[0].timeout: Invalid value: \"string\": must be a valid duration greater than 1ms"],
            Errors("1.24.0", "VirtualService", "v1", """{"hosts":["a"],"http":[{"timeout":"100us","route":[{"destination":{"host":"a"}}]}]}"""));

    [Fact]
    public void Type_errors_stop_at_the_field() =>
        Assert.Equal(["spec.hosts: Invalid value: \"string\": spec.hosts in body must be of type array: \"string\""],
            Errors("1.24.0", "ServiceEntry", "v1", """{"hosts":"a.example.com"}"""));

    [Fact]
    public void Pruning_drops_undeclared_fields_and_reports_their_paths()
    {
        var schema = CrdSchemas.ForIstio("1.24.0").Get("ServiceEntry", "v1")!;
        var obj = JsonNode.Parse("""{"metadata":{"name":"n","extra":1},"spec":{"hosts":["a"],"ports":[{"name":"h","number":1,"colour":"red"}],"x":null},"top":1}""")!.AsObject();
        Assert.Equal(["spec.ports[0].colour", "spec.x", "top"], UnknownFields.Prune(obj, schema).Order(StringComparer.Ordinal));
        Assert.Equal(1, (int)obj["metadata"]!["extra"]!);
    }

    [Theory]
    [InlineData("self.all(key, size(key) < 63 && key.matches('^[a-z]+$'))", """{"abc":1,"de":2}""", true)]
    [InlineData("self.all(key, size(key) < 63 && key.matches('^[a-z]+$'))", """{"ABC":1}""", false)]
    [InlineData("self.all(l1, self.exists_one(l2, l1.number == l2.number))", """[{"number":1},{"number":2}]""", true)]
    [InlineData("self.all(l1, self.exists_one(l2, l1.number == l2.number))", """[{"number":1},{"number":1}]""", false)]
    [InlineData("(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= 1", """{"a":1,"b":2}""", false)]
    [InlineData("!((has(self.addresses) ? self.addresses : []).exists(k, k.contains(\"/\")) && !((has(self.resolution) ? self.resolution : \"NONE\") in [\"STATIC\", \"NONE\"]))", """{"addresses":["10.0.0.0/8"],"resolution":"DNS"}""", false)]
    [InlineData("self.startsWith('unix://') ? (self.substring(7, 8) == '/' || self.substring(7, 8) == '@') : true", "\"unix:///a\"", true)]
    [InlineData("duration(self) >= duration('1ms')", "\"1.5s\"", true)]
    [InlineData("duration(self) >= duration('1ms')", "\"500us\"", false)]
    [InlineData("self.all(key, 0 < int(key) && int(key) <= 65535)", """{"8080":{}}""", true)]
    [InlineData("[self.group, self.kind] in [['core','Service'], ['','Service']]", """{"group":"","kind":"Service"}""", true)]
    [InlineData("string(self.port) == '80'", """{"port":80}""", true)]
    public void Cel_subset_evaluates_the_crd_rules(string rule, string self, bool expected) =>
        Assert.Equal(expected, CelEvaluator.Evaluate(CelParser.Parse(rule), new Dictionary<string, object?> { ["self"] = CelEvaluator.FromJson(JsonNode.Parse(self)) }));

    [Fact]
    public void Cel_errors_are_absorbed_by_a_deciding_logical_operand()
    {
        var rule = CelParser.Parse("self.missing == 1 || true");
        Assert.Equal(true, CelEvaluator.Evaluate(rule, new Dictionary<string, object?> { ["self"] = new Dictionary<string, object?>() }));
        Assert.Throws<CelException>(() => CelEvaluator.Evaluate(CelParser.Parse("self.missing == 1"), new Dictionary<string, object?> { ["self"] = new Dictionary<string, object?>() }));
    }

    [Theory]
    [InlineData("1.6.8", "type.googleapis.com/envoy.config.filter.network.http_connection_manager.v2.HttpConnectionManager", true)]
    [InlineData("1.18.0", "type.googleapis.com/envoy.config.filter.network.http_connection_manager.v2.HttpConnectionManager", true)]
    [InlineData("1.19.0", "type.googleapis.com/envoy.config.filter.network.http_connection_manager.v2.HttpConnectionManager", false)]
    [InlineData("1.24.0", "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", true)]
    [InlineData("1.24.0", "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", true)]
    [InlineData("1.24.0", "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.Bogus", false)]
    [InlineData("1.24.0", "type.googleapis.com/udpa.type.v1.TypedStruct", true)]
    [InlineData("1.6.8", "type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite", false)]
    [InlineData("1.28.0", "type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite", true)]
    public void Type_registry_follows_filter_types_gen_go(string istio, string typeUrl, bool resolves) =>
        Assert.Equal(resolves, XdsTypeRegistry.For(Simulator.SimVersion.Parse(istio)).Resolves(typeUrl));

    [Theory]
    [InlineData("1.6.8", "1.6.0..1.6.14")]
    [InlineData("1.9.5", "1.9.0..1.9.9")]
    [InlineData("1.24.3", "1.24.0..1.24.3")]
    [InlineData("1.24.5", "1.24.4..1.24.6")]
    [InlineData("1.29.1", "1.28.0..1.28.10")]
    public void Schemas_come_from_the_tag_of_the_clusters_release(string istio, string tags) =>
        Assert.Equal(tags, CrdSchemas.ForIstio(istio).Tags);

    [Theory]
    [InlineData("1.6.8")]
    [InlineData("1.9.5")]
    [InlineData("1.17.0")]
    [InlineData("1.22.0")]
    [InlineData("1.28.0")]
    public void Served_versions_match_the_crds_of_the_tag(string istio)
    {
        var catalog = new Api.ResourceCatalog(istio);
        var schemas = CrdSchemas.ForIstio(istio);
        foreach (var type in catalog.Types.Where(t => t.Group.EndsWith("istio.io", StringComparison.Ordinal)))
        {
            foreach (var version in new[] { "v1alpha3", "v1beta1", "v1" })
            {
                Assert.True(type.Versions.Contains(version) == (schemas.Get(type.Kind, version) is not null), $"{type.Kind} {version} at {istio}");
            }
        }
    }
}

/// <summary>Every x-kubernetes-validations rule of every embedded release compiles with the simulator's CEL subset.</summary>
public sealed class CelCoverageTests
{
    [Fact]
    public void Every_crd_rule_of_every_release_parses()
    {
        using var stream = typeof(CrdSchemas).Assembly.GetManifestResourceStream("istio-crd-schemas.json")!;
        var doc = JsonNode.Parse(stream)!;
        var rules = new HashSet<string>(StringComparer.Ordinal);
        Collect(doc, rules);
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var exception = Record.Exception(() => CelParser.Parse(rule));
            Assert.True(exception is null, $"{rule}: {exception?.Message}");
        }
    }

    private static void Collect(JsonNode? node, HashSet<string> rules)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["rule"] is JsonValue rule && rule.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    rules.Add((string)rule!);
                }

                foreach (var (_, child) in o)
                {
                    Collect(child, rules);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, rules);
                }

                break;
        }
    }
}
