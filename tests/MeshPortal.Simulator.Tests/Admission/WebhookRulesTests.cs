using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Validation.Webhook;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>
/// istiod's webhook rules, case by case. Cases named like Istio's own tests are transcribed from
/// <c>pkg/config/validation/validation_test.go</c> (and <c>envoyfilter/envoyfilter_test.go</c>) at 1.24.0; the expected
/// text is istiod's message (denials) or warning.
/// </summary>
public sealed class WebhookRulesTests
{
    /// <summary>Runs the webhook; returns "ok", "warn: a | b" or "deny: message".</summary>
    private static string Admit(string istio, string kind, string spec, string name = "x", string labels = "{}", string annotations = "{}")
    {
        var group = kind is "AuthorizationPolicy" or "PeerAuthentication" ? "security.istio.io" : "networking.istio.io";
        var type = new ResourceCatalog("1.28.0").FindByKind(group, kind)!;
        var obj = JsonNode.Parse($$"""{"metadata":{"name":"{{name}}","namespace":"ns","labels":{{labels}},"annotations":{{annotations}}},"spec":{{spec}}}""")!.AsObject();
        try
        {
            var warnings = IstioWebhook.Admit(type, obj, SimVersion.Parse(istio), SimVersion.Parse("1.30.4"), []);
            return warnings.Count == 0 ? "ok" : "warn: " + string.Join(" | ", warnings);
        }
        catch (ApiException e)
        {
            Assert.Equal(400, e.Code);
            const string prefix = "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: ";
            Assert.StartsWith(prefix, e.Message);
            return "deny: " + e.Message[prefix.Length..];
        }
    }

    [Theory]
    [InlineData("discovery type DNS", """{"hosts":["*.google.com"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"},{"number":8080,"protocol":"http","name":"http-valid2"}],"endpoints":[{"address":"lon.google.com","ports":{"http-valid1":8080}},{"address":"in.google.com","ports":{"http-valid2":9080}}],"resolution":"DNS"}""", "ok")]
    [InlineData("discovery type DNS, multi hosts set with IP address and https port", """{"hosts":["httpbin.org","wikipedia.org"],"addresses":["10.10.10.10"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"},{"number":8080,"protocol":"http","name":"http-valid2"},{"number":443,"protocol":"https","name":"https"}],"resolution":"DNS"}""", "warn: service entry can not have more than one host specified simultaneously with address and tcp port")]
    [InlineData("short name host", """{"hosts":["foo","bar.com"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"endpoints":[{"address":"in.google.com","ports":{"http-valid1":9080}}],"resolution":"DNS"}""", "ok")]
    [InlineData("full wildcard host", """{"hosts":["foo.com","*"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"resolution":"DNS","endpoints":[{"address":"in.google.com"}]}""", "deny: invalid host *")]
    [InlineData("undefined endpoint port", """{"hosts":["google.com"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"endpoints":[{"address":"lon.google.com","ports":{"http-dne":8080}}],"resolution":"DNS"}""", "deny: endpoint port 8080 is not defined by the service entry")]
    [InlineData("discovery type DNS, non-FQDN host", """{"hosts":["*.google.com"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"resolution":"DNS"}""", "deny: hosts must be FQDN if no endpoints are provided for resolution mode DNS")]
    [InlineData("discovery type static, FQDN in endpoints", """{"hosts":["google.com"],"addresses":["10.10.10.10"],"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"endpoints":[{"address":"google.com","ports":{"http-valid1":8080}}],"resolution":"STATIC"}""", "deny: endpoint address \"google.com\" is not a valid IP address")]
    [InlineData("unix socket", """{"hosts":["uds.cluster.local"],"ports":[{"number":6553,"protocol":"grpc","name":"grpc-service1"}],"resolution":"STATIC","endpoints":[{"address":"unix:///path/to/socket"}]}""", "ok")]
    [InlineData("unix socket, multiple service ports", """{"hosts":["uds.cluster.local"],"ports":[{"number":6553,"protocol":"grpc","name":"grpc-service1"},{"number":80,"protocol":"http","name":"http-service2"}],"resolution":"STATIC","endpoints":[{"address":"unix:///path/to/socket"}]}""", "deny: exactly 1 service port required for unix endpoints")]
    [InlineData("selector and endpoints", """{"hosts":["google.com"],"workloadSelector":{"labels":{"foo":"bar"}},"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"endpoints":[{"address":"1.1.1.1"}]}""", "deny: 2 errors occurred:\n\t* only one of WorkloadSelector or Endpoints is allowed in Service Entry\n\t* no endpoints should be provided for resolution type none\n\n")]
    [InlineData("selector and resolution NONE", """{"hosts":["google.com"],"workloadSelector":{"labels":{"foo":"bar"}},"ports":[{"number":80,"protocol":"http","name":"http-valid1"}],"resolution":"NONE"}""", "warn: workloadSelector should not be set when resolution mode is NONE")]
    [InlineData("bad selector key", """{"hosts":["google.com"],"workloadSelector":{"labels":{"":"bar"}},"ports":[{"number":80,"protocol":"http","name":"http-valid1"}]}""", "deny: empty key is not supported in selector: \"=bar\"")]
    [InlineData("protocol unset for addresses empty", """{"hosts":["www.google.com"],"ports":[{"number":80,"name":"http-valid1"}],"resolution":"DNS"}""", "warn: addresses are required for ports serving TCP (or unset) protocol when ISTIO_META_DNS_AUTO_ALLOCATE is not set on a proxy")]
    [InlineData("dns round robin with more than one endpoint", """{"hosts":["www.google.com"],"ports":[{"number":443,"protocol":"HTTPS","name":"https"}],"endpoints":[{"address":"a.google.com"},{"address":"b.google.com"}],"resolution":"DNS_ROUND_ROBIN"}""", "deny: there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN")]
    [InlineData("partial wildcard hosts", """{"hosts":["*.nytimes.com","*washingtonpost.com"],"addresses":[],"ports":[{"number":443,"protocol":"HTTPS","name":"https-nytimes"}],"endpoints":[],"resolution":"NONE"}""", "warn: partial wildcard \"*washingtonpost.com\" not allowed")]
    [InlineData("network set with no address on endpoint", """{"hosts":["www.example.com"],"addresses":[],"ports":[{"number":443,"protocol":"HTTPS","name":"https-example"}],"endpoints":[{"network":"cluster-1"}],"resolution":"STATIC"}""", "warn: address is unset with network \"cluster-1\"")]
    [InlineData("exportTo ~ with others", """{"hosts":["a.example.com"],"ports":[{"number":443,"protocol":"TLS","name":"tls"}],"resolution":"DNS","exportTo":["~","ns1"]}""", "deny: cannot export service entry to no one (~) and someone")]
    [InlineData("exportTo duplicate of the current namespace", """{"hosts":["a.example.com"],"ports":[{"number":443,"protocol":"TLS","name":"tls"}],"resolution":"DNS","exportTo":["ns","."]}""", "deny: duplicate entries in exportTo: . and current namespace ns")]
    public void Service_entry_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "ServiceEntry", spec));

    [Theory]
    [InlineData("1.6.8", "deny: exportTo should have only one entry (. or *) in the current release")]
    [InlineData("1.9.5", "deny: only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry")]
    [InlineData("1.24.0", "deny: only .,*, or a valid DNS 1123 label is allowed as exportTo entry")]
    public void Export_to_rules_follow_the_release(string istio, string expected) =>
        Assert.Equal(expected, Admit(istio, "ServiceEntry", """{"hosts":["a.example.com"],"ports":[{"number":443,"protocol":"TLS","name":"tls"}],"resolution":"DNS","exportTo":["ns1","Not_A_Label"]}"""));

    [Theory]
    [InlineData("1.6.8", "ok")]
    [InlineData("1.28.0", "deny: 2 errors occurred:\n\t* host must be wildcarded for resolution mode DYNAMIC_DNS\n\t* location must be MESH_EXTERNAL for resolution type DYNAMIC_DNS\n\n")]
    public void Dynamic_dns_rules_exist_from_1_28(string istio, string expected)
    {
        var spec = """{"hosts":["api.example.com"],"location":"MESH_INTERNAL","ports":[{"number":80,"protocol":"HTTP","name":"http"}],"resolution":"DYNAMIC_DNS"}""";
        Assert.Equal(expected == "ok" ? "deny: unsupported resolution type DYNAMIC_DNS" : expected, Admit(istio, "ServiceEntry", spec));
    }

    [Theory]
    [InlineData("happy gateway", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":7,"name":"http","protocol":"http"}}]}""", "ok")]
    [InlineData("happy multiple servers", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":7,"name":"http","protocol":"http"}},{"hosts":["foo.bar.com"],"port":{"number":18,"name":"redis","protocol":"redis"}}]}""", "ok")]
    [InlineData("invalid port", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":66000,"name":"http","protocol":"http"}}]}""", "deny: port number 66000 must be in the range 1..65535")]
    [InlineData("duplicate port names", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":80,"name":"foo","protocol":"http"}},{"hosts":["scooby.doo.com"],"port":{"number":8443,"name":"foo","protocol":"https"},"tls":{"httpsRedirect":true}}]}""", "deny: port names in servers must be unique: duplicate name foo")]
    [InlineData("invalid partial wildcard", """{"servers":[{"hosts":["*bar.com"],"port":{"number":80,"name":"http","protocol":"http"}}]}""", "deny: partial wildcard \"*bar.com\" not allowed")]
    [InlineData("no servers", """{"servers":[]}""", "deny: gateway must have at least one server")]
    [InlineData("TLS without settings", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":443,"name":"https","protocol":"HTTPS"}}]}""", "deny: server must have TLS settings for HTTPS/TLS protocols")]
    [InlineData("SIMPLE without certificates", """{"servers":[{"hosts":["foo.bar.com"],"port":{"number":443,"name":"https","protocol":"HTTPS"},"tls":{"mode":"SIMPLE"}}]}""", "deny: 2 errors occurred:\n\t* SIMPLE TLS requires a server certificate\n\t* SIMPLE TLS requires a private key\n\n")]
    [InlineData("AUTO_PASSTHROUGH with a credential", """{"servers":[{"hosts":["*.local"],"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH","credentialName":"c"}}]}""", "warn: AUTO_PASSTHROUGH mode does not use certificates, they will be ignored")]
    public void Gateway_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "Gateway", spec, name: "gw"));

    [Fact]
    public void Gateway_names_must_be_dns_labels() =>
        Assert.Equal("deny: invalid gateway name: \"gw.dotted\"", Admit("1.24.0", "Gateway", """{"servers":[{"hosts":["a.b.com"],"port":{"number":80,"name":"http","protocol":"HTTP"}}]}""", name: "gw.dotted"));

    [Theory]
    [InlineData("simple destination rule", """{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}""", "ok")]
    [InlineData("missing subset name", """{"host":"reviews","subsets":[{"name":"","labels":{"version":"v1"}}]}""", "deny: subset name cannot be empty")]
    [InlineData("duplicate subsets", """{"host":"reviews","subsets":[{"name":"v1"},{"name":"v1"}]}""", "deny: duplicate subset names: v1")]
    [InlineData("bad subset label", """{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v 1"}}]}""", "deny: 1 error occurred:\n\t* invalid tag value: \"v 1\"\n\n")]
    [InlineData("empty traffic policy", """{"host":"reviews","trafficPolicy":{}}""", "deny: traffic policy must have at least one field")]
    [InlineData("consecutive errors deprecated", """{"host":"reviews","trafficPolicy":{"outlierDetection":{"consecutiveErrors":5}}}""", "warn: outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead")]
    [InlineData("selector with exportTo beyond namespace", """{"host":"reviews","workloadSelector":{"matchLabels":{"app":"a"}},"exportTo":["*"]}""", "deny: destination rule with workload selector cannot have exportTo beyond current namespace")]
    [InlineData("failover without outlier detection", """{"host":"reviews","trafficPolicy":{"loadBalancer":{"localityLbSetting":{"failover":[{"from":"us-east","to":"eu-west"}]}}}}""", "warn: outlier detection policy must be provided for failover")]
    public void Destination_rule_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "DestinationRule", spec));

    [Fact]
    public void Duplicate_subsets_passed_before_1_22() =>
        Assert.Equal("ok", Admit("1.18.0", "DestinationRule", """{"host":"reviews","subsets":[{"name":"v1"},{"name":"v1"}]}"""));

    [Theory]
    [InlineData("happy", """{"hosts":["foo.bar"],"gateways":["ns1/gateway"],"http":[{"route":[{"destination":{"host":"foo.baz"}}]}]}""", "ok")]
    [InlineData("no routes", """{"hosts":["foo.bar"]}""", "deny: http, tcp or tls must be provided in virtual service")]
    [InlineData("mesh wildcard host", """{"hosts":["*"],"http":[{"route":[{"destination":{"host":"foo.baz"}}]}]}""", "deny: wildcard host * is not allowed for virtual services bound to the mesh gateway")]
    [InlineData("duplicate hosts", """{"hosts":["*.foo.bar","bar.foo.bar"],"http":[{"route":[{"destination":{"host":"foo.baz"}}]}]}""", "deny: duplicate hosts in virtual service: *.foo.bar & bar.foo.bar")]
    [InlineData("route and redirect", """{"hosts":["foo.bar"],"http":[{"redirect":{"uri":"/x"},"route":[{"destination":{"host":"foo.baz"}}]}]}""", "deny: HTTP route cannot contain both route and redirect")]
    [InlineData("retry with zero attempts", """{"hosts":["foo.bar"],"http":[{"route":[{"destination":{"host":"foo.baz"}}],"retries":{"attempts":0,"retryOn":"5xx"}}]}""", "deny: http retry policy configured when attempts are set to 0 (disabled)")]
    [InlineData("bad retryOn", """{"hosts":["foo.bar"],"http":[{"route":[{"destination":{"host":"foo.baz"}}],"retries":{"attempts":3,"retryOn":"5xx,sometimes"}}]}""", "deny: \"sometimes\" is not a valid retryOn policy")]
    [InlineData("legacy gateway name", """{"hosts":["foo.bar"],"gateways":["gateway.ns1"],"http":[{"route":[{"destination":{"host":"foo.baz"}}]}]}""", "warn: using legacy gatewayName format \"gateway.ns1\"; prefer the <namespace>/<name> format: \"ns1/gateway\"")]
    [InlineData("zero total weight", """{"hosts":["foo.bar"],"http":[{"route":[{"destination":{"host":"a.baz"},"weight":0},{"destination":{"host":"b.baz"},"weight":0}]}]}""", "deny: total destination weight = 0")]
    [InlineData("sni not a subset of hosts", """{"hosts":["foo.bar"],"gateways":["ns/gw"],"tls":[{"match":[{"sniHosts":["other.com"]}],"route":[{"destination":{"host":"foo.baz"}}]}]}""", "deny: SNI host \"other.com\" is not a compatible subset of any of the virtual service hosts: [foo.bar]")]
    public void Virtual_service_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "VirtualService", spec));

    [Theory]
    [InlineData("empty", """{}""", "deny: sidecar: empty configuration provided")]
    [InlineData("egress host without namespace", """{"egress":[{"hosts":["bookinfo.com"]}]}""", "deny: host must be of form namespace/dnsName")]
    [InlineData("catch-all not last", """{"egress":[{"hosts":["*/*"]},{"port":{"number":80,"protocol":"HTTP","name":"h"},"hosts":["ns1/bookinfo.com"]}]}""", "deny: sidecar: the egress listener with empty port should be the last listener in the list")]
    [InlineData("duplicate egress host", """{"egress":[{"hosts":["ns1/a.com","ns1/*"]}]}""", "warn: duplicated egress host: ns1/*")]
    [InlineData("ingress without port", """{"ingress":[{"defaultEndpoint":"127.0.0.1:9080"}]}""", "deny: sidecar: port is required for ingress listeners")]
    [InlineData("bad default endpoint", """{"ingress":[{"port":{"number":90,"protocol":"http","name":"foo"},"defaultEndpoint":"10.1.1.1:9080"}]}""", "deny: sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset")]
    public void Sidecar_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "Sidecar", spec));

    [Theory]
    [InlineData("good", """{"selector":{"matchLabels":{"app":"httpbin"}},"rules":[{"from":[{"source":{"principals":["sa1"]}}],"to":[{"operation":{"methods":["GET"]}}]}]}""", "ok")]
    [InlineData("custom without provider", """{"action":"CUSTOM","rules":[{}]}""", "deny: invalid policy x.ns: `provider.name` must not be empty")]
    [InlineData("provider with allow", """{"provider":{"name":"ext"},"rules":[{}]}""", "deny: invalid policy x.ns: `provider` must not be with non CUSTOM action, found ALLOW")]
    [InlineData("empty from", """{"rules":[{"from":[]}]}""", "deny: invalid policy x.ns: `from` must not be empty, found at rule 0")]
    [InlineData("bad ip block", """{"rules":[{"from":[{"source":{"ipBlocks":["1.2.3.4/99"]}}]}]}""", "deny: 1 error occurred:\n\t* invalid policy x.ns: bad CIDR range (1.2.3.4/99): netip.ParsePrefix(\"1.2.3.4/99\"): bad prefix\n\n")]
    [InlineData("unknown attribute", """{"rules":[{"when":[{"key":"request.foo","values":["bar"]}]}]}""", "deny: 2 errors occurred:\n\t* invalid policy x.ns: invalid `value` for `key` request.foo: unknown attribute: request.foo\n\t* invalid policy x.ns: invalid `notValue` for `key` request.foo: unknown attribute: request.foo\n\n")]
    [InlineData("two errors", """{"action":"DENY","rules":[{"from":[]},{"to":[]}]}""", "deny: 2 errors occurred:\n\t* invalid policy x.ns: `from` must not be empty, found at rule 0\n\t* invalid policy x.ns: `to` must not be empty, found at rule 1\n\n")]
    public void Authorization_policy_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "AuthorizationPolicy", spec));

    [Theory]
    [InlineData("port level with selector", """{"selector":{"matchLabels":{"app":"a"}},"portLevelMtls":{"8080":{"mode":"DISABLE"}}}""", "ok")]
    [InlineData("empty selector labels", """{"selector":{"matchLabels":{}}}""", "warn: workload selector specified without labels")]
    [InlineData("wildcard in selector", """{"selector":{"matchLabels":{"app":"a*"}}}""", "deny: wildcard is not supported in selector: \"app=a*\"")]
    public void Peer_authentication_1_24(string name, string spec, string expected) => Check(name, expected, Admit("1.24.0", "PeerAuthentication", spec));

    private const string V2Filter = """
        {"configPatches":[{"applyTo":"NETWORK_FILTER","match":{"listener":{"filterChain":{"filter":{"name":"envoy.tcp_proxy"}}}},
          "patch":{"operation":"INSERT_FIRST","value":{"name":"envoy.filters.network.tcp_proxy","typed_config":{"@type":"type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy"}}}}]}
        """;

    [Theory]
    [InlineData("1.6.8", "ok")]
    [InlineData("1.9.5", "warn: using deprecated filter name \"envoy.tcp_proxy\"; use \"envoy.filters.network.tcp_proxy\" instead | using deprecated type_url(s); type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy")]
    [InlineData("1.18.0", "warn: using deprecated filter name \"envoy.tcp_proxy\"; use \"envoy.filters.network.tcp_proxy\" instead | using deprecated type_url(s); type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy")]
    [InlineData("1.19.0", "deny: referenced type unknown (hint: try using the v3 XDS API): Envoy filter: could not resolve Any message type: type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy")]
    [InlineData("1.28.0", "deny: referenced type unknown (hint: try using the v3 XDS API): Envoy filter: could not resolve Any message type: type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy")]
    public void Envoy_filter_v2_types_follow_each_releases_registry(string istio, string expected)
    {
        Assert.Equal(expected, WithoutEnvoyFilterNotice(Admit(istio, "EnvoyFilter", V2Filter)));
    }

    [Theory]
    [InlineData("1.6.8", "deny: Envoy filter: unknown message type \"istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite\"")]
    [InlineData("1.9.5", "ok")]
    [InlineData("1.24.0", "warn: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.")]
    public void Tcp_cluster_rewrite_is_in_istiods_registry_from_1_7(string istio, string expected) =>
        Assert.Equal(expected, Admit(istio, "EnvoyFilter", """
            {"workloadSelector":{"labels":{"istio":"ingressgateway"}},"configPatches":[{"applyTo":"NETWORK_FILTER",
             "match":{"context":"GATEWAY","listener":{"portNumber":15443,"filterChain":{"filter":{"name":"envoy.filters.network.sni_cluster"}}}},
             "patch":{"operation":"INSERT_AFTER","value":{"name":"envoy.filters.network.tcp_cluster_rewrite","typed_config":{
               "@type":"type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite",
               "cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}}}]}
            """));

    [Theory]
    [InlineData("missing applyTo", """{"configPatches":[{"patch":{"operation":"ADD","value":{"name":"x"}}}]}""", "deny: Envoy filter: missing applyTo")]
    [InlineData("missing patch value", """{"configPatches":[{"applyTo":"LISTENER","patch":{"operation":"ADD"}}]}""", "deny: Envoy filter: missing patch value for non-remove operation")]
    [InlineData("listener match for a cluster", """{"configPatches":[{"applyTo":"CLUSTER","match":{"listener":{"name":"l"}},"patch":{"operation":"REMOVE"}}]}""", "deny: Envoy filter: applyTo for cluster class objects cannot have non cluster match")]
    [InlineData("subfilter without hcm", """{"configPatches":[{"applyTo":"HTTP_FILTER","match":{"listener":{"filterChain":{"filter":{"name":"envoy.tcp_proxy","subFilter":{"name":"r"}}}}},"patch":{"operation":"REMOVE"}}]}""", "deny: Envoy filter: subfilter match requires filter match with envoy.filters.network.http_connection_manager")]
    [InlineData("made-up type", """{"configPatches":[{"applyTo":"NETWORK_FILTER","patch":{"operation":"ADD","value":{"name":"x","typed_config":{"@type":"type.googleapis.com/not.a.real.Type"}}}}]}""", "deny: referenced type unknown: Envoy filter: could not resolve Any message type: type.googleapis.com/not.a.real.Type")]
    [InlineData("filter without typed_config", """{"configPatches":[{"applyTo":"NETWORK_FILTER","patch":{"operation":"ADD","value":{"name":"envoy.filters.network.tcp_cluster_rewrite","config":{"cluster_pattern":"x"}}}}]}""", "warn: Envoy filter: unknown field \"config\" in envoy.config.listener.v3.Filter | using deprecated types by name without typed_config; envoy.filters.network.tcp_cluster_rewrite")]
    public void Envoy_filter_1_24(string name, string spec, string expected) =>
        Check(name, expected, WithoutEnvoyFilterNotice(Admit("1.24.0", "EnvoyFilter", spec)));

    private const string EnvoyFilterNotice =
        "EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.";

    /// <summary>The result without the notice every EnvoyFilter gets from 1.22 ("ok" when it was the only warning).</summary>
    private static string WithoutEnvoyFilterNotice(string result) =>
        result == $"warn: {EnvoyFilterNotice}" ? "ok" : result.Replace($"{EnvoyFilterNotice} | ", "", StringComparison.Ordinal);

    private static void Check(string name, string expected, string actual) =>
        Assert.True(expected == actual, $"{name}:\nexpected: {expected}\nactual:   {actual}");

    [Fact]
    public void Dry_run_annotation_is_only_for_authorization_policies() =>
        Assert.Equal("deny: ns/x has unsupported annotation istio.io/dry-run, please remove the annotation",
            Admit("1.24.0", "Sidecar", """{"egress":[{"hosts":["./*"]}]}""", annotations: """{"istio.io/dry-run":"true"}"""));

    [Theory]
    [InlineData("1.10.0", null, "validation.istio.io")]
    [InlineData("1.11.5", null, "validation.istio.io")]
    [InlineData("1.11.5", "default", "rev.validation.istio.io")]
    [InlineData("1.11.5", "canary", null)]
    [InlineData("1.24.0", "canary", "validation.istio.io")]
    public void The_webhook_that_judges_follows_the_revision_label(string istio, string? revision, string? expected)
    {
        var labels = revision is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["istio.io/rev"] = revision };
        Assert.Equal(expected, IstioWebhook.WebhookName(SimVersion.Parse(istio), labels));
    }
}
