using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>
/// The real kubectl (apply --server-side, create) against clusters of several Istio releases: Istio's own samples
/// (samples/ at 1.24.0) and broken objects get what a real cluster of that release answers — accepted, accepted with
/// "Warning:", refused by the CRD schema (422, with the field) or by istiod's webhook (400, its message).
/// </summary>
public sealed class KubectlAdmissionTests(AdmissionMeshFixture fx) : IClassFixture<AdmissionMeshFixture>
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Admission", "Samples");
    private readonly Kubectl _kubectl = new(fx);

    private async Task<Kubectl.Result> Run(string context, string yaml, params string[] verb)
    {
        var file = Path.Combine(fx.TempDirectory, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await _kubectl.RunAsync(["--context", context, .. verb, "-f", file]);
    }

    private static string Webhook(string file, string message) =>
        $"Error from server: error when creating \"{file}\": admission webhook \"validation.istio.io\" denied the request: configuration is invalid: {message}";

    [KubectlFact]
    public async Task Istio_samples_apply_on_1_24_and_the_EnvoyFilter_one_warns()
    {
        foreach (var file in Directory.GetFiles(Samples, "*.yaml").Order())
        {
            var result = await _kubectl.RunAsync("--context", "istio-1-24", "apply", "--server-side", "-f", file);
            Assert.True(result.ExitCode == 0, $"{Path.GetFileName(file)}: {result.Stderr}");
            Assert.Contains("serverside-applied", result.Stdout);
            if (Path.GetFileName(file) == "productpage_envoy_ratelimit.yaml")
            {
                Assert.Equal("Warning: EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, " +
                             "and exercise extreme caution, especially around upgrades.\n", result.Stderr);
            }
            else
            {
                Assert.Equal("", result.Stderr);
            }
        }
    }

    [KubectlFact]
    public async Task Networking_v1_samples_find_no_kind_on_1_18_while_v1alpha3_applies()
    {
        var gateway = await _kubectl.RunAsync("--context", "istio-1-18", "apply", "--server-side", "-f", Path.Combine(Samples, "bookinfo-gateway.yaml"));
        Assert.Equal(1, gateway.ExitCode);
        Assert.Contains("no matches for kind \"Gateway\" in version \"networking.istio.io/v1\"", gateway.Stderr);
        Assert.Contains("ensure CRDs are installed first", gateway.Stderr);

        var envoyFilter = await _kubectl.RunAsync("--context", "istio-1-18", "apply", "--server-side", "-f", Path.Combine(Samples, "productpage_envoy_ratelimit.yaml"));
        Assert.Equal(0, envoyFilter.ExitCode);
        Assert.Equal("", envoyFilter.Stderr);
    }

    private const string GatewayWithoutHosts = """
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {name: no-hosts, namespace: foo}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
        """;

    [KubectlFact]
    public async Task Gateway_server_without_hosts_is_refused_by_the_webhook_before_1_22_and_by_the_schema_after()
    {
        var old = await Run("istio-1-9", GatewayWithoutHosts, "create");
        Assert.Equal(1, old.ExitCode);
        Assert.EndsWith("admission webhook \"validation.istio.io\" denied the request: configuration is invalid: server config must contain at least one host\n", old.Stderr);

        var current = await Run("istio-1-24", GatewayWithoutHosts, "create");
        Assert.Equal("The Gateway \"no-hosts\" is invalid: spec.servers[0].hosts: Required value\n", current.Stderr);

        var empty = await Run("istio-1-24", GatewayWithoutHosts.Replace("protocol: HTTP}", "protocol: HTTP}\n    hosts: []"), "apply", "--server-side");
        Assert.Equal("Error from server: admission webhook \"validation.istio.io\" denied the request: configuration is invalid: server config must contain at least one host\n", empty.Stderr);
    }

    private const string PortLevelMtlsWithoutSelector = """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: ports, namespace: foo}
        spec:
          portLevelMtls:
            "8080": {mode: DISABLE}
        """;

    [KubectlFact]
    public async Task Peer_authentication_port_level_mtls_needs_a_selector_webhook_on_1_18_cel_on_1_24()
    {
        var old = await Run("istio-1-18", PortLevelMtlsWithoutSelector, "create");
        Assert.EndsWith("configuration is invalid: mesh/namespace peer authentication cannot have port level mTLS\n", old.Stderr);

        var current = await Run("istio-1-24", PortLevelMtlsWithoutSelector, "create");
        Assert.Equal("The PeerAuthentication \"ports\" is invalid: spec: Invalid value: \"object\": portLevelMtls requires selector\n", current.Stderr);
    }

    private const string DenyHttpOnly = """
        apiVersion: security.istio.io/v1beta1
        kind: AuthorizationPolicy
        metadata: {name: deny-admin, namespace: foo}
        spec:
          action: DENY
          rules:
          - to:
            - operation: {paths: ["/admin"]}
        """;

    [KubectlFact]
    public async Task Deny_policy_with_only_http_attributes_is_admitted_with_a_warning_from_1_12()
    {
        var current = await Run("istio-1-24", DenyHttpOnly, "apply", "--server-side");
        Assert.Equal(0, current.ExitCode);
        Assert.Equal("Warning: configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP " +
                     "attributes in a DENY rule; it is recommended to explicitly specify the port\n", current.Stderr);

        var old = await Run("istio-1-9", DenyHttpOnly, "apply", "--server-side");
        Assert.Equal(0, old.ExitCode);
        Assert.Equal("", old.Stderr);

        var empty = await Run("istio-1-24", "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata: {name: deny-nothing, namespace: foo}\nspec:\n  action: DENY\n", "create");
        Assert.EndsWith("configuration is invalid: invalid policy deny-nothing.foo: DENY action without `rules` is meaningless as it will never be " +
                        "triggered, add an empty rule `{}` if you want it be triggered for every request\n", empty.Stderr);
    }

    private const string V2TypedEnvoyFilter = """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata: {name: v2-tcp-proxy, namespace: istio-system}
        spec:
          configPatches:
          - applyTo: NETWORK_FILTER
            match:
              listener:
                filterChain:
                  filter: {name: envoy.tcp_proxy}
            patch:
              operation: INSERT_AFTER
              value:
                name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy
                  stat_prefix: tcp
        """;

    [KubectlFact]
    public async Task Envoy_filter_v2_type_warns_on_1_18_and_is_refused_from_1_19_with_istios_hint()
    {
        var old = await Run("istio-1-18", V2TypedEnvoyFilter, "apply", "--server-side");
        Assert.Equal(0, old.ExitCode);
        Assert.Equal("Warning: using deprecated filter name \"envoy.tcp_proxy\"; use \"envoy.filters.network.tcp_proxy\" instead\n" +
                     "Warning: using deprecated type_url(s); type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy\n", old.Stderr);

        var current = await Run("istio-1-24", V2TypedEnvoyFilter, "apply", "--server-side");
        Assert.Equal(1, current.ExitCode);
        Assert.Equal("Error from server: admission webhook \"validation.istio.io\" denied the request: configuration is invalid: referenced type unknown " +
                     "(hint: try using the v3 XDS API): Envoy filter: could not resolve Any message type: " +
                     "type.googleapis.com/envoy.config.filter.network.tcp_proxy.v2.TcpProxy\n", current.Stderr);
    }

    [KubectlFact]
    public async Task Envoy_filter_made_up_type_is_refused_by_1_6_in_its_own_words()
    {
        var yaml = V2TypedEnvoyFilter.Replace("envoy.config.filter.network.tcp_proxy.v2.TcpProxy", "not.a.real.Type").Replace("v2-tcp-proxy", "made-up");
        var result = await Run("istio-1-6", yaml, "apply", "--server-side");
        Assert.Equal("Error from server: admission webhook \"validation.istio.io\" denied the request: configuration is invalid: " +
                     "Envoy filter: unknown message type \"not.a.real.Type\"\n", result.Stderr);
    }

    [KubectlFact]
    public async Task Mcs_kinds_exist_only_where_the_crds_are_installed_and_follow_their_schema()
    {
        const string export = "apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceExport\nmetadata: {name: httpbin, namespace: bar}\n";
        Assert.Equal(0, (await Run("istio-1-24", export, "apply", "--server-side")).ExitCode);
        var missing = await Run("istio-1-22", export, "apply", "--server-side");
        Assert.Contains("no matches for kind \"ServiceExport\" in version \"multicluster.x-k8s.io/v1alpha1\"", missing.Stderr);

        const string import = "apiVersion: multicluster.x-k8s.io/v1alpha1\nkind: ServiceImport\nmetadata: {name: httpbin, namespace: bar}\nspec:\n  ports: [{port: 8000}]\n";
        var invalid = await Run("istio-1-24", import, "create");
        Assert.Equal("The ServiceImport \"httpbin\" is invalid: spec.type: Required value\n", invalid.Stderr);
    }

    private const string ServiceEntryWithUnknownField = """
        apiVersion: networking.istio.io/v1beta1
        kind: ServiceEntry
        metadata: {name: typo, namespace: foo}
        spec:
          hosts: [api.example.com]
          resolution: DNS
          prots:
          - {name: https, number: 443, protocol: TLS}
        """;

    [KubectlFact]
    public async Task Unknown_fields_fail_the_typed_apply_and_strict_create()
    {
        var apply = await Run("istio-1-24", ServiceEntryWithUnknownField, "apply", "--server-side");
        Assert.Equal("Error from server: failed to create typed patch object (foo/typo; networking.istio.io/v1beta1, Kind=ServiceEntry): " +
                     ".spec.prots: field not declared in schema\n", apply.Stderr);

        var create = await Run("istio-1-24", ServiceEntryWithUnknownField, "create");
        Assert.EndsWith("ServiceEntry in version \"v1beta1\" cannot be handled as a ServiceEntry: strict decoding error: unknown field \"spec.prots\"\n", create.Stderr);
        Assert.StartsWith("Error from server (BadRequest): error when creating", create.Stderr);
    }

    [KubectlFact]
    public async Task Destination_rule_virtual_service_and_sidecar_errors_are_listed_as_istiod_lists_them()
    {
        const string rule = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: mutual, namespace: foo}
            spec:
              host: httpbin.bar.svc.cluster.local
              trafficPolicy:
                tls: {mode: MUTUAL}
            """;
        var dr = await Run("istio-1-24", rule, "create");
        Assert.EndsWith("configuration is invalid: 2 errors occurred:\n\t* client certificate required for mutual tls\n\t* private key required for mutual tls\n\n", dr.Stderr);

        const string service = "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: nowhere, namespace: foo}\nspec:\n  hosts: [httpbin]\n  http:\n  - name: empty\n";
        var vs = await Run("istio-1-22", service, "create");
        Assert.EndsWith("configuration is invalid: HTTP route, redirect or direct_response is required\n", vs.Stderr);

        const string sidecar = "apiVersion: networking.istio.io/v1beta1\nkind: Sidecar\nmetadata: {name: empty, namespace: foo}\nspec: {}\n";
        var sc = await Run("istio-1-28", sidecar, "create");
        Assert.EndsWith("configuration is invalid: sidecar: empty configuration provided\n", sc.Stderr);
    }
}
