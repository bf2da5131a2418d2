using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Validation.Schemas;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateVirtualService</c> (<c>pkg/config/validation/validation.go</c> and <c>virtualservice.go</c> at 1.24.0):
/// hosts and gateways, HTTP routes (conflicts, matches, headers, CORS, fault, mirror(s), redirect, direct response,
/// retries, rewrite, destinations and weights, timeout), TLS and TCP routes, exportTo. The unreachable-rule analysis
/// (warnings only) is not ported.
/// </summary>
internal static partial class VirtualServiceRules
{
    private static readonly HashSet<string> RetryOn =
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream", "retriable-status-codes",
        "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted",
        "unavailable",
    ];

    private static readonly HashSet<string> Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"];

    private static readonly HashSet<string> GrpcStatus =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        var hosts = spec.Strings("hosts");
        var gateways = spec.Strings("gateways");
        var http = spec.Objects("http");
        var tls = spec.Objects("tls");
        var tcp = spec.Objects("tcp");
        if (hosts.Count == 0)
        {
            v.Error(gateways.Count != 0 ? "delegate virtual service must have no gateways specified" : null);
            v.Error(tls.Count != 0 ? "delegate virtual service must have no tls route specified" : null);
            v.Error(tcp.Count != 0 ? "delegate virtual service must have no tcp route specified" : null);
        }

        var appliesToGateway = gateways.Count > 0 && IsGateway(gateways);
        var appliesToMesh = !appliesToGateway;
        if (gateways.Count > 0)
        {
            GatewayNames(gateways, v);
        }

        if (!appliesToGateway)
        {
            foreach (var match in http.SelectMany(h => h.Objects("match")))
            {
                foreach (var key in match.StringMapKeys("headers").Concat(match.StringMapKeys("withoutHeaders")))
                {
                    if (key.StartsWith("@request.auth.claims.", StringComparison.Ordinal))
                    {
                        v.Error($"JWT claim based routing (key: {key}) is only supported for gateway, found no gateways: [{string.Join(" ", gateways)}]");
                    }
                }
            }
        }

        var allValid = true;
        var sni = tls.Any(t => t.Objects("match").Any(m => m.Count("sniHosts") > 0));
        foreach (var host in hosts)
        {
            var err = appliesToGateway ? GatewayBoundDomain(sni, host) : IstioNames.ValidateWildcardDomain(host);
            if (err is not null && !IstioNames.IsIp(host))
            {
                v.Error(err);
                allValid = false;
            }
            else if (appliesToMesh && host == "*")
            {
                v.Error("wildcard host * is not allowed for virtual services bound to the mesh gateway");
                allValid = false;
            }
        }

        if (allValid)
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                for (var j = i + 1; j < hosts.Count; j++)
                {
                    if (HostMatches(hosts[i], hosts[j]))
                    {
                        v.Error($"duplicate hosts in virtual service: {hosts[i]} & {hosts[j]}");
                    }
                }
            }
        }

        if (http.Count == 0 && tcp.Count == 0 && tls.Count == 0)
        {
            v.Error("http, tcp or tls must be provided in virtual service");
        }

        foreach (var route in http)
        {
            HttpRoute(route, hosts.Count == 0, v);
        }

        foreach (var route in tls)
        {
            TlsRoute(route, hosts, gateways, v);
        }

        foreach (var route in tcp)
        {
            foreach (var match in route.Objects("match"))
            {
                L4Match(match, v);
            }

            v.Error(route.Count("route") == 0 ? "TCP route is required" : null);
            RouteDestinations(route.Objects("route"), v);
        }

        CommonRules.ExportTo(cfg, spec.Strings("exportTo"), isServiceEntry: false, isDestinationRuleWithSelector: false, v);
    }

    private static bool IsGateway(IReadOnlyList<string> gateways) => !gateways.Contains("mesh");

    private static IEnumerable<string> StringMapKeys(this JsonObject o, string key) =>
        o.Obj(key)?.Select(p => p.Key).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();

    private static void HttpRoute(JsonObject http, bool delegated, IstioValidation v)
    {
        RouteConflicts(http, delegated, v);
        foreach (var match in http.Objects("match"))
        {
            foreach (var (name, header) in match.Obj("headers") ?? [])
            {
                v.Error(HeaderNameOrJwtClaim(name));
                v.Error(StringMatch(header as JsonObject, "headers"));
            }

            foreach (var (name, header) in match.Obj("withoutHeaders") ?? [])
            {
                v.Error(HeaderNameOrJwtClaim(name));
                if ((header as JsonObject).Str("regex") != "*")
                {
                    v.Error(StringMatch(header as JsonObject, "withoutHeaders"));
                }
            }

            v.Error(StringMatchRegexp(match.Obj("uri"), "uri"));
            v.Error(StringMatch(match.Obj("scheme"), "scheme"));
            v.Error(StringMatch(match.Obj("method"), "method"));
            v.Error(StringMatch(match.Obj("authority"), "authority"));
            foreach (var (_, qp) in match.Obj("queryParams") ?? [])
            {
                v.Error(StringMatch(qp as JsonObject, "queryParams"));
            }
        }

        foreach (var match in http.Objects("match"))
        {
            if (match.Num("port") != 0)
            {
                v.Error(IstioNames.ValidatePort(match.Num("port")));
            }

            IstioNames.ValidateLabels(match.StringMap("sourceLabels"), v);
            GatewayNames(match.Strings("gateways"), v);
            var ns = match.Str("sourceNamespace");
            v.Error(ns.Length > 0 && !IstioNames.IsDns1123Label(ns) ? $"sourceNamespace match {ns} is invalid" : null);
        }

        Headers(http.Obj("headers"), v);
        Cors(http.Obj("corsPolicy"), v);
        Fault(http.Obj("fault"), v);
        if (http.Has("mirrorPercent"))
        {
            var value = http.Num("mirrorPercent");
            v.Error(value > 100 ? $"mirror_percent must have a max value of 100 (it has {value})" : null);
            v.Warning("using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
        }

        if (http.Obj("mirrorPercentage") is { } mp)
        {
            var value = Api.JsonNumbers.Double(mp["value"]);
            v.Error(value > 100 ? $"mirror_percentage must have a max value of 100 (it has {value.ToString("F6", CultureInfo.InvariantCulture)})" : null);
            v.Error(value < 0 ? $"mirror_percentage must have a min value of 0 (it has {value.ToString("F6", CultureInfo.InvariantCulture)})" : null);
        }

        if (http.Obj("mirror") is { } mirror)
        {
            Destination(mirror, v);
        }

        foreach (var m in http.Objects("mirrors"))
        {
            if (m.Obj("destination") is not { } destination)
            {
                v.Error("destination is required for mirrors");
                continue;
            }

            Destination(destination, v);
            var value = Api.JsonNumbers.Double(m.Obj("percentage")?["value"]);
            v.Error(value > 100 ? $"mirror percentage must have a max value of 100 (it has {value.ToString("F6", CultureInfo.InvariantCulture)})" : null);
            v.Error(value < 0 ? $"mirror percentage must have a min value of 0 (it has {value.ToString("F6", CultureInfo.InvariantCulture)})" : null);
        }

        Redirect(http.Obj("redirect"), v);
        DirectResponse(http.Obj("directResponse"), v);
        Retries(http.Obj("retries"), v);
        Rewrite(http.Obj("rewrite"), v);
        AuthorityRewrite(http.Obj("rewrite"), http.Obj("headers"), v);
        RouteDestinations(http.Objects("route"), v, http: true);
        if (http.Has("timeout"))
        {
            v.Error(CommonRules.Duration(http.Str("timeout")));
        }
    }

    private static void RouteConflicts(JsonObject http, bool delegated, IstioValidation v)
    {
        if (!delegated && http.Has("delegate"))
        {
            v.Error(http.Has("redirect") ? $"root HTTP route {http.Str("name")} must not specify redirect" : null);
            v.Error(http.Has("route") ? $"root HTTP route {http.Str("name")} must not specify route" : null);
            return;
        }

        if (delegated && http.Has("delegate"))
        {
            v.Error("delegate HTTP route cannot contain delegate");
        }

        if (http.Has("redirect"))
        {
            v.Error(http.Count("route") > 0 ? "HTTP route cannot contain both route and redirect" : null);
            v.Error(http.Has("fault") ? "HTTP route cannot contain both fault and redirect" : null);
            v.Error(http.Has("rewrite") ? "HTTP route rule cannot contain both rewrite and redirect" : null);
            v.Error(http.Has("directResponse") ? "HTTP route rule cannot contain both direct_response and redirect" : null);
        }
        else if (http.Has("directResponse"))
        {
            v.Error(http.Count("route") > 0 ? "HTTP route cannot contain both route and direct_response" : null);
            v.Error(http.Has("fault") ? "HTTP route cannot contain both fault and direct_response" : null);
            v.Error(http.Has("rewrite") ? "HTTP route rule cannot contain both rewrite and direct_response" : null);
        }
        else if (http.Count("route") == 0)
        {
            v.Error("HTTP route, redirect or direct_response is required");
        }

        v.Error(http.Has("mirror") && http.Count("mirrors") > 0 ? "HTTP route cannot contain both mirror and mirrors" : null);
    }

    private static void Headers(JsonObject? headers, IstioValidation v)
    {
        foreach (var (section, allowAuthority) in new[] { ("request", true), ("response", false) })
        {
            var ops = headers.Obj(section);
            foreach (var name in new[] { "add", "set" }.SelectMany(op => ops.StringMap(op)))
            {
                v.Error(allowAuthority ? HeaderWithAuthorityName(name.Key) : HeaderOperationName(name.Key));
                v.Error(HeaderValue(name.Value));
            }

            foreach (var name in ops.Strings("remove"))
            {
                v.Error(HeaderOperationName(name));
            }
        }
    }

    private static string? HeaderNameOrJwtClaim(string name) =>
        name.Length == 0 ? "header name cannot be empty"
        : name.StartsWith("@request.auth.claims.", StringComparison.Ordinal) || HeaderName().IsMatch(name) ? null
        : $"header name {name} is not a valid header name";

    private static string? HeaderWithAuthorityName(string name) =>
        name.Length == 0 ? "header name cannot be empty"
        : name.StartsWith(':') && !IsAuthority(name) ? $"invalid header \"{name}\": header cannot have \":\" prefix" : null;

    private static string? HeaderOperationName(string name) =>
        name.Length == 0 ? "header name cannot be empty"
        : name.Equals("host", StringComparison.OrdinalIgnoreCase) ? $"invalid header \"{name}\": cannot set Host header"
        : name.StartsWith(':') ? $"invalid header \"{name}\": header cannot have \":\" prefix" : null;

    private static string? HeaderValue(string value) =>
        value.Any(c => c is <= '\u0008' or (>= '\u000A' and <= '\u001F') or '\u007F') ? $"header value configuration {value} is invalid" : null;

    private static bool IsAuthority(string name) => name.Equals(":authority", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase);

    private static void AuthorityRewrite(JsonObject? rewrite, JsonObject? headers, IstioValidation v)
    {
        var current = rewrite.Str("authority");
        foreach (var (key, value) in headers.Obj("request").StringMap("set").Concat(headers.Obj("request").StringMap("add")))
        {
            if (!IsAuthority(key))
            {
                continue;
            }

            if (current.Length > 0)
            {
                v.Error($"authority header cannot be set multiple times: have \"{current}\", attempting to set \"{value}\"");
                return;
            }

            current = value;
        }
    }

    private static void Cors(JsonObject? policy, IstioValidation v)
    {
        if (policy is null)
        {
            return;
        }

        foreach (var origin in policy.Objects("allowOrigins"))
        {
            var match = origin.Str("exact") is { Length: > 0 } e ? e : origin.Str("prefix") is { Length: > 0 } p ? p : origin.Str("regex");
            v.Error(match.Length == 0 ? $"'{match}' is not a valid match type for CORS allow origins" : StringMatchRegexp(origin, "corsPolicy.allowOrigins"));
        }

        foreach (var method in policy.Strings("allowMethods"))
        {
            v.Error(Methods.Contains(method) ? null : $"\"{method}\" is not a supported HTTP method");
        }

        foreach (var name in policy.Strings("allowHeaders").Concat(policy.Strings("exposeHeaders")))
        {
            v.Error(name.Length == 0 ? "header name cannot be empty" : name == "*" || HeaderName().IsMatch(name) ? null : $"header name {name} is not a valid header name");
        }

        if (policy.Has("maxAge"))
        {
            v.Error(CommonRules.Duration(policy.Str("maxAge")));
            if (Cel.GoDuration.TryParse(policy.Str("maxAge"), out var age) && age.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                v.MultiError("max_age duration is accurate only to seconds precision");
            }
        }
    }

    private static void Fault(JsonObject? fault, IstioValidation v)
    {
        if (fault is null)
        {
            return;
        }

        var abort = fault.Obj("abort");
        var delay = fault.Obj("delay");
        if (abort is null && delay is null)
        {
            v.MultiError("HTTP fault injection must have an abort and/or a delay");
        }

        if (abort is not null)
        {
            v.Error(Percentage(abort.Obj("percentage")));
            if (abort.Has("grpcStatus"))
            {
                v.Error(GrpcStatus.Contains(abort.Str("grpcStatus")) ? null
                    : $"gRPC status \"{abort.Str("grpcStatus")}\" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of supported codes, for example 'NOT_FOUND'");
            }
            else if (abort.Has("http2Error"))
            {
                v.Error("HTTP/2 abort fault injection not supported yet");
            }
            else if (abort.Has("httpStatus"))
            {
                v.Error(HttpStatus(abort.Num("httpStatus")));
            }
            else
            {
                v.Warning("abort configured, but error type not set");
            }
        }

        if (delay is not null)
        {
            v.Error(Percentage(delay.Obj("percentage")));
            if (delay.Has("fixedDelay"))
            {
                v.Error(CommonRules.Duration(delay.Str("fixedDelay")));
            }
            else if (delay.Has("exponentialDelay"))
            {
                v.Error(CommonRules.Duration(delay.Str("exponentialDelay")));
                v.MultiError("exponentialDelay not supported yet");
            }
        }
    }

    private static string? Percentage(JsonObject? percentage)
    {
        if (percentage is null)
        {
            return null;
        }

        var value = Api.JsonNumbers.Double(percentage["value"]);
        value = double.IsNaN(value) ? 0 : value;
        return value is < 0 or > 100 || (value > 0 && value < 0.0001)
            ? $"percentage {GoFormat.Float(value)} is neither 0.0, nor in range [0.0001, 100.0]" : null;
    }

    private static string? HttpStatus(long status) => status is < 200 or > 600 ? $"HTTP status {status} is not in range 200-599" : null;

    private static void Redirect(JsonObject? redirect, IstioValidation v)
    {
        if (redirect is null)
        {
            return;
        }

        string? error = null;
        if (redirect.Str("uri").Length == 0 && redirect.Str("authority").Length == 0 && !redirect.Has("port") && !redirect.Has("derivePort") &&
            redirect.Str("scheme").Length == 0)
        {
            error = "redirect must specify URI, authority, scheme, or port";
        }
        else if (redirect.Num("redirectCode") != 0 && redirect.Num("redirectCode") is < 300 or > 399)
        {
            error = $"{redirect.Num("redirectCode")} is not a valid redirect code, must be 3xx";
        }
        else if (redirect.Str("scheme").Length > 0 && redirect.Str("scheme") is not ("http" or "https"))
        {
            error = "invalid redirect scheme, must be \"http\" or \"https\"";
        }
        else if (redirect.Num("port") > 0)
        {
            error = IstioNames.ValidatePort(redirect.Num("port"));
        }

        v.Error(error);
    }

    private static void DirectResponse(JsonObject? response, IstioValidation v)
    {
        if (response is null)
        {
            return;
        }

        if (response.Obj("body") is { } body)
        {
            var size = body.Has("string") ? System.Text.Encoding.UTF8.GetByteCount(body.Str("string")) : body.Str("bytes").Length * 3 / 4;
            if (size > 1024 * 1024)
            {
                v.Error("large direct_responses may impact control plane performance, must be less than 1MB");
            }
            else if (size > 100 * 1024)
            {
                v.Warning("large direct_responses may impact control plane performance");
            }
        }

        v.Error(HttpStatus(response.Num("status")));
    }

    private static void Retries(JsonObject? retries, IstioValidation v)
    {
        if (retries is null)
        {
            return;
        }

        var attempts = retries.Num("attempts");
        if (attempts < 0)
        {
            v.MultiError("attempts cannot be negative");
        }

        if (attempts == 0 && (retries.Has("perTryTimeout") || retries.Str("retryOn").Length > 0 || retries.Has("retryRemoteLocalities")))
        {
            v.Error("http retry policy configured when attempts are set to 0 (disabled)");
        }

        if (retries.Has("perTryTimeout"))
        {
            v.Error(CommonRules.Duration(retries.Str("perTryTimeout")));
        }

        var retryOn = retries.Str("retryOn");
        if (retryOn.Length > 0)
        {
            foreach (var policy in retryOn.Split(','))
            {
                var isStatus = int.TryParse(policy, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) && IsKnownStatus(code);
                v.Error(isStatus || RetryOn.Contains(policy) ? null : $"\"{policy}\" is not a valid retryOn policy");
            }
        }
    }

    /// <summary>Go's <c>http.StatusText(code) != ""</c>.</summary>
    private static bool IsKnownStatus(int code) => code is 100 or 101 or 102 or 103 or (>= 200 and <= 208) or 226 or (>= 300 and <= 308 and not 306) or
        (>= 400 and <= 418) or 421 or 422 or 423 or 424 or 425 or 426 or 428 or 429 or 431 or 451 or (>= 500 and <= 508) or 510 or 511;

    private static void Rewrite(JsonObject? rewrite, IstioValidation v)
    {
        if (rewrite is null)
        {
            return;
        }

        var regex = rewrite.Obj("uriRegexRewrite");
        if (rewrite.Str("uri").Length > 0 && regex is not null)
        {
            v.Error("rewrite may only contain one of URI or UriRegexRewrite");
        }
        else if (rewrite.Str("uri").Length == 0 && regex is null && rewrite.Str("authority").Length == 0)
        {
            v.Error("rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified");
        }
        else if (regex is not null)
        {
            var inner = regex.Str("match").Length == 0 || regex.Str("rewrite").Length == 0
                ? "UriRegexRewrite requires both Rewrite and Match fields to be specified"
                : Regexp(regex.Str("match"), "HTTPRewrite.UriRegexRewrite.Match");
            v.Error(inner is null ? null : $"UriRegexRewrite has errors\n{inner}");
        }
    }

    /// <summary><c>validateHTTPRouteDestinations</c> (with header operations) and <c>validateRouteDestinations</c> (TLS/TCP).</summary>
    private static void RouteDestinations(IReadOnlyList<JsonObject> routes, IstioValidation v, bool http = false)
    {
        long total = 0;
        foreach (var route in routes)
        {
            if (route.Obj("destination") is not { } destination)
            {
                v.MultiError("destination is required");
            }
            else
            {
                if (http)
                {
                    Headers(route.Obj("headers"), v);
                }

                Destination(destination, v);
            }

            v.Error(route.Num("weight") < 0 ? $"weight {route.Num("weight")} < 0" : null);
            total += route.Num("weight");
        }

        v.Error(routes.Count > 1 && total == 0 ? "total destination weight = 0" : null);
    }

    /// <summary><c>validateDestination</c>: host, subset name, port.</summary>
    public static void Destination(JsonObject destination, IstioValidation v)
    {
        var host = destination.Str("host");
        v.Error(host == "*" ? $"invalid destination host {host}" : IstioNames.ValidateWildcardDomain(host));
        if (destination.Str("subset").Length > 0)
        {
            v.Error(DestinationRuleRules.SubsetName(destination.Str("subset")));
        }

        if (destination.Obj("port") is { } port)
        {
            v.Error(IstioNames.ValidatePort(port.Num("number")));
        }
    }

    private static void TlsRoute(JsonObject tls, IReadOnlyList<string> hosts, IReadOnlyList<string> gateways, IstioValidation v)
    {
        var matches = tls.Objects("match");
        if (matches.Count == 0)
        {
            v.Error("TLS route must have at least one match condition");
        }

        foreach (var match in matches)
        {
            var sniHosts = match.Strings("sniHosts");
            if (sniHosts.Count == 0)
            {
                v.Error("TLS match must have at least one SNI host");
            }

            foreach (var sni in sniHosts)
            {
                SniHost(sni, hosts, gateways, v);
            }

            // The rest of validateTLSMatch is validateTCPMatch's.
            L4Match(match, v);
        }

        v.Error(tls.Count("route") == 0 ? "TLS route is required" : null);
        RouteDestinations(tls.Objects("route"), v);
    }

    private static void SniHost(string sni, IReadOnlyList<string> hosts, IReadOnlyList<string> gateways, IstioValidation v)
    {
        var err = IsGateway(gateways) ? GatewayBoundDomain(true, sni) : IstioNames.ValidateWildcardDomain(sni);
        if (err is not null)
        {
            if (IstioNames.IsIp(sni))
            {
                v.Warning($"using an IP address (\"{sni}\") goes against SNI spec and most clients do not support this");
                return;
            }

            v.Error(err);
            return;
        }

        if (!hosts.Any(h => HostSubsetOf(sni, h)))
        {
            v.Error($"SNI host \"{sni}\" is not a compatible subset of any of the virtual service hosts: [{string.Join(", ", hosts)}]");
        }
    }

    private static void L4Match(JsonObject match, IstioValidation v)
    {
        foreach (var subnet in match.Strings("destinationSubnets"))
        {
            v.Error(IstioNames.ValidateIpSubnet(subnet));
        }

        if (match.Num("port") != 0)
        {
            v.Error(IstioNames.ValidatePort(match.Num("port")));
        }

        IstioNames.ValidateLabels(match.StringMap("sourceLabels"), v);
        GatewayNames(match.Strings("gateways"), v);
    }

    private static void GatewayNames(IReadOnlyList<string> names, IstioValidation v)
    {
        foreach (var name in names)
        {
            var parts = name.Split('/', 2);
            if (parts.Length != 2)
            {
                if (name.Contains('.'))
                {
                    var dots = name.Split('.');
                    v.Warning($"using legacy gatewayName format \"{name}\"; prefer the <namespace>/<name> format: \"{dots[1]}/{dots[0]}\"");
                }

                v.Error(IstioNames.ValidateFqdn(name));
                continue;
            }

            v.Error(parts[0].Length == 0 || parts[1].Length == 0 ? "config namespace and gateway name cannot be empty" : null);
            v.Error(!IstioNames.IsDns1123Label(parts[0]) ? $"invalid value for namespace: \"{parts[0]}\"" : null);
            v.Error(!IstioNames.IsDns1123Label(parts[1]) ? $"invalid value for gateway name: \"{parts[1]}\"" : null);
        }
    }

    /// <summary><c>ValidateWildcardDomainForVirtualServiceBoundToGateway</c>: also admits AUTO_PASSTHROUGH SNI names "outbound_.80_._.host".</summary>
    private static string? GatewayBoundDomain(bool sni, string domain)
    {
        if (domain.Length > 255)
        {
            return $"domain name \"{domain}\" too long (max 255)";
        }

        if (domain.Length == 0)
        {
            return "empty domain name not allowed";
        }

        if (sni && domain.StartsWith("outbound_", StringComparison.Ordinal))
        {
            var parts = domain.Split('_');
            if (parts.Length < 4)
            {
                return $"domain name {domain} invalid, should follow 'outbound_.<port>_._.<hostname>' format";
            }

            var port = parts[1].Trim('.');
            var host = parts[3].Trim('.');
            if (parts[0] != "outbound")
            {
                return $"domain name \"{domain}\" invalid (label \"{parts[0]}\" invalid)";
            }

            if (!Regex.IsMatch(port, "([0-9].*)"))
            {
                return $"domain name \"{domain}\" invalid (label \"{port}\" invalid). should follow outbound_.<port>_._.<hostname> format";
            }

            return Regex.IsMatch(host, "([a-zA-Z].*)") ? null
                : $"domain name \"{domain}\" invalid (label \"{host}\" invalid). should follow outbound_.<port>_._.<hostname> format";
        }

        return IstioNames.ValidateWildcardDomain(domain);
    }

    private static string? StringMatch(JsonObject? match, string where)
    {
        if (match is null)
        {
            return null;
        }

        if (match.Has("prefix") && match.Str("prefix").Length == 0)
        {
            return $"\"{where}\": prefix string match should not be empty";
        }

        return match.Has("regex") ? StringMatchRegexp(match, where) : null;
    }

    private static string? StringMatchRegexp(JsonObject? match, string where)
    {
        if (match is null || !match.Has("regex"))
        {
            return null;
        }

        var re = match.Str("regex");
        return re.Length == 0 ? $"\"{where}\": regex string match should not be empty" : Regexp(re, where);
    }

    private static string? Regexp(string re, string where)
    {
        if (re.Length > 1024)
        {
            return $"\"{where}\": regex is too large, max length allowed is 1024";
        }

        try
        {
            _ = new Regex(re, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"\"{where}\": error parsing regexp: {e.Message}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)";
        }
    }

    /// <summary><c>host.Name.Matches</c>: the two (possibly wildcard) hosts overlap.</summary>
    public static bool HostMatches(string a, string b)
    {
        bool aw = a.StartsWith('*'), bw = b.StartsWith('*');
        return (aw, bw) switch
        {
            (true, true) => a.Length < b.Length ? b[1..].EndsWith(a[1..], StringComparison.Ordinal) : a[1..].EndsWith(b[1..], StringComparison.Ordinal),
            (true, false) => b.EndsWith(a[1..], StringComparison.Ordinal),
            (false, true) => a.EndsWith(b[1..], StringComparison.Ordinal),
            _ => a == b,
        };
    }

    /// <summary><c>host.Name.SubsetOf</c>.</summary>
    private static bool HostSubsetOf(string a, string b) => a.StartsWith('*')
        ? b.StartsWith('*') && a[1..].EndsWith(b[1..], StringComparison.Ordinal)
        : b.StartsWith('*') ? a.EndsWith(b[1..], StringComparison.Ordinal) : a == b;

    [GeneratedRegex("^[-_A-Za-z0-9]+$")]
    private static partial Regex HeaderName();
}
