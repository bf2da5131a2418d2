using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateEnvoyFilter</c> (<c>pkg/config/validation/envoyfilter/envoyfilter.go</c> 1.22+, in
/// <c>validation.go</c> before): applyTo/match/patch consistency, proxy-version regex, filter names (deprecated ones warn,
/// 1.9+), and the patch value decoded as the xDS type of its applyTo, which resolves every <c>@type</c> against the
/// release's protobuf registry (<see cref="XdsTypeRegistry"/>). The error text follows the JSON decoder each release
/// used: golang/protobuf 1.3 (1.6: "unknown message type"), 1.4+ (1.7+: "could not resolve Any message type"), and
/// from 1.19 the "referenced type unknown" wrapper with the v3 hint for ".v2." types.
/// </summary>
internal static class EnvoyFilterRules
{
    private const string HttpConnectionManager = "envoy.filters.network.http_connection_manager";

    /// <summary><c>xds.DeprecatedFilterNames</c> (1.24.0), deprecated name to canonical name.</summary>
    private static readonly Dictionary<string, string> DeprecatedNames = new(StringComparer.Ordinal)
    {
        ["envoy.buffer"] = "envoy.filters.http.buffer", ["envoy.cors"] = "envoy.filters.http.cors", ["envoy.csrf"] = "envoy.filters.http.csrf",
        ["envoy.http_dynamo_filter"] = "envoy.filters.http.dynamo", ["envoy.ext_authz"] = "envoy.filters.http.ext_authz",
        ["envoy.fault"] = "envoy.filters.http.fault", ["envoy.grpc_http1_bridge"] = "envoy.filters.http.grpc_http1_bridge",
        ["envoy.grpc_json_transcoder"] = "envoy.filters.http.grpc_json_transcoder", ["envoy.grpc_web"] = "envoy.filters.http.grpc_web",
        ["envoy.gzip"] = "envoy.filters.http.gzip", ["envoy.health_check"] = "envoy.filters.http.health_check",
        ["envoy.ip_tagging"] = "envoy.filters.http.ip_tagging", ["envoy.lua"] = "envoy.filters.http.lua",
        ["envoy.rate_limit"] = "envoy.filters.http.ratelimit", ["envoy.router"] = "envoy.filters.http.router",
        ["envoy.squash"] = "envoy.filters.http.squash", ["envoy.listener.http_inspector"] = "envoy.filters.listener.http_inspector",
        ["envoy.listener.original_dst"] = "envoy.filters.listener.original_dst", ["envoy.listener.original_src"] = "envoy.filters.listener.original_src",
        ["envoy.listener.proxy_protocol"] = "envoy.filters.listener.proxy_protocol", ["envoy.listener.tls_inspector"] = "envoy.filters.listener.tls_inspector",
        ["envoy.client_ssl_auth"] = "envoy.filters.network.client_ssl_auth", ["envoy.http_connection_manager"] = HttpConnectionManager,
        ["envoy.mongo_proxy"] = "envoy.filters.network.mongo_proxy", ["envoy.ratelimit"] = "envoy.filters.network.ratelimit",
        ["envoy.redis_proxy"] = "envoy.filters.network.redis_proxy", ["envoy.tcp_proxy"] = "envoy.filters.network.tcp_proxy",
    };

    /// <summary>The Go type <c>BuildXDSObjectFromStruct</c> decodes a patch value into (v3 from 1.7; 1.6 decoded into the v2 API).</summary>
    private static readonly Dictionary<string, string> V3Types = new(StringComparer.Ordinal)
    {
        ["LISTENER"] = "envoy.config.listener.v3.Listener", ["FILTER_CHAIN"] = "envoy.config.listener.v3.FilterChain",
        ["NETWORK_FILTER"] = "envoy.config.listener.v3.Filter",
        ["HTTP_FILTER"] = "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter",
        ["ROUTE_CONFIGURATION"] = "envoy.config.route.v3.RouteConfiguration", ["VIRTUAL_HOST"] = "envoy.config.route.v3.VirtualHost",
        ["HTTP_ROUTE"] = "envoy.config.route.v3.Route", ["CLUSTER"] = "envoy.config.cluster.v3.Cluster",
        ["EXTENSION_CONFIG"] = "envoy.config.core.v3.TypedExtensionConfig", ["BOOTSTRAP"] = "envoy.config.bootstrap.v3.Bootstrap",
        ["LISTENER_FILTER"] = "envoy.config.listener.v3.ListenerFilter",
    };

    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        if (cfg.AtLeast(22))
        {
            v.Warning("EnvoyFilter exposes internal implementation details that may change at any time. Prefer other APIs if possible, and exercise extreme caution, especially around upgrades.");
        }

        var selectorErrors = new IstioValidation();
        var noLabels = CommonRules.AlphaWorkloadSelector(cfg.Spec.Obj("workloadSelector"), selectorErrors);
        if (selectorErrors.HasErrors)
        {
            v.Add(selectorErrors);
            return;
        }

        if (noLabels && cfg.AtLeast(16))
        {
            v.Warning("Envoy filter: workload selector specified without labels, will be applied to all services in namespace");
        }

        var registry = XdsTypeRegistry.For(cfg.Istio);
        foreach (var cp in cfg.Spec.Objects("configPatches"))
        {
            Patch(cfg, cp, registry, v);
        }
    }

    private static void Patch(IstioConfig cfg, JsonObject cp, XdsTypeRegistry registry, IstioValidation v)
    {
        var applyTo = cp.Has("applyTo") ? cp.Str("applyTo") : "INVALID";
        var patch = cp.Obj("patch");
        var operation = patch is not null && patch.Has("operation") ? patch.Str("operation") : "INVALID";
        var value = patch.Obj("value");
        string? stop = applyTo == "INVALID" ? "Envoy filter: missing applyTo"
            : patch is null ? "Envoy filter: missing patch"
            : operation == "INVALID" ? "Envoy filter: missing patch operation"
            : operation != "REMOVE" && value is null ? "Envoy filter: missing patch value for non-remove operation"
            : null;
        if (stop is not null)
        {
            v.Error(stop);
            return;
        }

        var match = cp.Obj("match");
        var proxyVersion = match.Obj("proxy").Str("proxyVersion");
        if (proxyVersion.Length > 0 && RegexError(proxyVersion) is { } regexError)
        {
            v.Error($"Envoy filter: invalid regex for proxy version, [{regexError}]");
            return;
        }

        if (!MatchLinesUp(cfg, applyTo, match, v))
        {
            return;
        }

        if (value is not null)
        {
            PatchValue(cfg, applyTo, value, registry, v);
        }
    }

    /// <summary>applyTo and match must address the same kind of object; false when istiod stops checking this patch.</summary>
    private static bool MatchLinesUp(IstioConfig cfg, string applyTo, JsonObject? match, IstioValidation v)
    {
        var objectTypes = match is not null && (match.Has("listener") || match.Has("routeConfiguration") || match.Has("cluster"));
        if (!objectTypes)
        {
            return true;
        }

        switch (applyTo)
        {
            case "LISTENER" or "FILTER_CHAIN" or "NETWORK_FILTER" or "HTTP_FILTER":
                if (match.Obj("listener") is not { } listener)
                {
                    v.Error("Envoy filter: applyTo for listener class objects cannot have non listener match");
                    return false;
                }

                if (listener.Obj("filterChain")?.Obj("filter") is not { } filter)
                {
                    return true;
                }

                if (cfg.AtLeast(11) && applyTo is "LISTENER" or "FILTER_CHAIN")
                {
                    v.Warning($"Envoy filter: filter match has no effect when used with {applyTo}");
                }

                if (filter.Str("name").Length == 0)
                {
                    v.Error("Envoy filter: filter match has no name to match on");
                    return false;
                }

                if (filter.Obj("subFilter") is { } sub)
                {
                    if (applyTo != "HTTP_FILTER")
                    {
                        v.Error("Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only");
                        return false;
                    }

                    if (filter.Str("name") is not (HttpConnectionManager or "envoy.http_connection_manager"))
                    {
                        v.Error($"Envoy filter: subfilter match requires filter match with {HttpConnectionManager}");
                        return false;
                    }

                    if (sub.Str("name").Length == 0)
                    {
                        v.Error("Envoy filter: subfilter match has no name to match on");
                        return false;
                    }
                }

                if (cfg.AtLeast(9))
                {
                    foreach (var name in new[] { filter.Str("name"), filter.Obj("subFilter").Str("name") })
                    {
                        if (DeprecatedNames.TryGetValue(name, out var canonical))
                        {
                            v.Warning($"using deprecated filter name \"{name}\"; use \"{canonical}\" instead");
                        }
                    }
                }

                return true;
            case "ROUTE_CONFIGURATION" or "VIRTUAL_HOST" or "HTTP_ROUTE" when match.Obj("routeConfiguration") is null:
                v.Error("Envoy filter: applyTo for http route class objects cannot have non route configuration match");
                return true;
            case "CLUSTER" when match.Obj("cluster") is null:
                v.Error("Envoy filter: applyTo for cluster class objects cannot have non cluster match");
                return true;
            default:
                return true;
        }
    }

    private static void PatchValue(IstioConfig cfg, string applyTo, JsonObject value, XdsTypeRegistry registry, IstioValidation v)
    {
        var typeUrls = new List<string>();
        CollectTypeUrls(value, typeUrls);
        if (typeUrls.FirstOrDefault(t => !registry.Resolves(t)) is { } unknown)
        {
            v.Error(UnresolvedType(cfg, unknown));
            return;
        }

        if (!cfg.AtLeast(9))
        {
            return;
        }

        // The strict decode (unknown fields are warnings): the v2-only "config" field of filters is gone from the v3 types.
        if (applyTo is "NETWORK_FILTER" or "HTTP_FILTER" or "LISTENER_FILTER" && value.ContainsKey("config"))
        {
            v.Warning($"Envoy filter: unknown field \"config\" in {V3Types[applyTo]}");
        }

        var frozen = typeUrls.Where(XdsTypeRegistry.IsFrozen).ToList();
        if (frozen.Count > 0)
        {
            v.Warning($"using deprecated type_url(s); {string.Join(", ", frozen)}");
        }

        if (cfg.AtLeast(14))
        {
            var missing = new List<string>();
            MissingTypedConfig(value, applyTo is "NETWORK_FILTER" or "HTTP_FILTER" or "LISTENER_FILTER", missing);
            if (missing.Count > 0)
            {
                v.Warning($"using deprecated types by name without typed_config; {string.Join(", ", missing)}");
            }
        }
    }

    private static string UnresolvedType(IstioConfig cfg, string typeUrl)
    {
        if (!cfg.AtLeast(7))
        {
            return $"Envoy filter: unknown message type \"{XdsTypeRegistry.MessageName(typeUrl)}\"";
        }

        var error = $"Envoy filter: could not resolve Any message type: {typeUrl}";
        if (!cfg.AtLeast(19))
        {
            return error;
        }

        return typeUrl.Contains(".v2.", StringComparison.Ordinal)
            ? $"referenced type unknown (hint: try using the v3 XDS API): {error}"
            : $"referenced type unknown: {error}";
    }

    /// <summary>Every Any's "@type" in document order, as jsonpb meets them while decoding.</summary>
    private static void CollectTypeUrls(JsonNode? node, List<string> urls)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["@type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String)
                {
                    urls.Add((string)t!);
                }

                foreach (var (_, child) in o)
                {
                    CollectTypeUrls(child, urls);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    CollectTypeUrls(item, urls);
                }

                break;
        }
    }

    /// <summary><c>recurseMissingTypedConfig</c>: filters (objects with a name in a filter list, or the patched filter) without typed_config.</summary>
    private static void MissingTypedConfig(JsonNode? node, bool isFilter, List<string> missing)
    {
        switch (node)
        {
            case JsonObject o:
                if (isFilter && !(o.ContainsKey("typed_config") || o.ContainsKey("typedConfig") || o.ContainsKey("config_discovery") || o.ContainsKey("configDiscovery")))
                {
                    missing.Add(o.Str("name"));
                }

                foreach (var (key, child) in o)
                {
                    var filterList = key is "filters" or "http_filters" or "httpFilters" or "listener_filters" or "listenerFilters";
                    if (child is JsonArray list && filterList)
                    {
                        foreach (var item in list)
                        {
                            MissingTypedConfig(item, true, missing);
                        }
                    }
                    else
                    {
                        MissingTypedConfig(child, false, missing);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    MissingTypedConfig(item, false, missing);
                }

                break;
        }
    }

    private static string? RegexError(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"error parsing regexp: {e.Message}";
        }
    }
}
