using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateAuthorizationPolicy</c> and <c>ValidatePeerAuthentication</c> (1.24.0) with the attribute, IP and
/// port checks of <c>pkg/config/security/security.go</c>. AuthorizationPolicy errors are prefixed "invalid policy name.ns:".
/// </summary>
internal static class SecurityRules
{
    private static readonly HashSet<string> PlainAttributes =
        ["source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "connection.sni"];

    public static void AuthorizationPolicy(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        var errors = new IstioValidation();
        var selector = spec.Obj("selector");
        var targetRefs = spec.Objects("targetRefs");
        if ((selector is not null ? 1 : 0) + (spec.Has("targetRef") ? 1 : 0) + (targetRefs.Count > 0 ? 1 : 0) > 1)
        {
            errors.Error("only one of targetRefs or workloadSelector can be set");
        }

        var selectorRules = new IstioValidation();
        CommonRules.WorkloadSelector(cfg, selector, selectorRules);
        errors.Add(selectorRules);
        foreach (var targetRef in spec.Obj("targetRef") is { } single ? [single, .. targetRefs] : targetRefs)
        {
            TargetRef(targetRef, errors);
        }

        var action = spec.Has("action") ? spec.Str("action") : "ALLOW";
        var rules = spec.Objects("rules");
        var hasRules = spec.Has("rules");
        if (action == "CUSTOM")
        {
            Custom(spec, hasRules, rules, errors);
        }

        if (spec.Has("provider") && action != "CUSTOM")
        {
            errors.Error($"`provider` must not be with non CUSTOM action, found {action}");
        }

        if (action == "DENY" && !hasRules)
        {
            errors.Error("DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            Rule(cfg, rules[i], i, action, errors);
        }

        var from = v.ErrorCount;
        v.Add(errors);
        v.PrefixErrors(from, $"invalid policy {cfg.Name}.{cfg.Namespace}:");
    }

    private static void TargetRef(JsonObject targetRef, IstioValidation v)
    {
        v.Error(targetRef.Str("name").Length == 0 ? "targetRef name must be set" : null);
        v.Error(targetRef.Str("namespace").Length > 0 ? "targetRef namespace must not be set; cross namespace referencing is not supported" : null);
        var group = targetRef.Str("group").Length == 0 ? "core" : targetRef.Str("group");
        var kind = targetRef.Str("kind");
        if (!((group == "core" && kind == "Service") || (group == "networking.istio.io" && kind == "ServiceEntry") ||
              (group == "gateway.networking.k8s.io" && kind == "Gateway")))
        {
            v.Error($"targetRef must be to one of [/v1, Kind=Service networking.istio.io/v1, Kind=ServiceEntry gateway.networking.k8s.io/v1, Kind=Gateway] but was {targetRef.Str("group")}/{kind}");
        }
    }

    private static void Custom(JsonObject spec, bool hasRules, IReadOnlyList<JsonObject> rules, IstioValidation v)
    {
        if (!hasRules)
        {
            v.Error("CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
            return;
        }

        if (spec.Obj("provider").Str("name").Length == 0)
        {
            v.Error("`provider.name` must not be empty");
        }

        foreach (var rule in rules)
        {
            foreach (var src in rule.Objects("from").Select(f => f.Obj("source")).OfType<JsonObject>())
            {
                foreach (var (field, name) in new[] { ("namespaces", "From.Namespaces"), ("notNamespaces", "From.NotNamespaces"),
                             ("principals", "From.Principals"), ("notPrincipals", "From.NotPrincipals"),
                             ("requestPrincipals", "From.RequestPrincipals"), ("notRequestPrincipals", "From.NotRequestPrincipals") })
                {
                    v.Error(src.Count(field) != 0 ? $"{name} is currently not supported with CUSTOM action" : null);
                }
            }

            foreach (var when in rule.Objects("when"))
            {
                var key = when.Str("key");
                if (key is "source.namespace" or "source.principal" || key.StartsWith("request.auth.", StringComparison.Ordinal))
                {
                    v.Error($"{key} is currently not supported with CUSTOM action");
                }
            }
        }
    }

    private static void Rule(IstioConfig cfg, JsonObject rule, int i, string action, IstioValidation v)
    {
        if (rule.Has("from") && rule.Count("from") == 0)
        {
            v.Error($"`from` must not be empty, found at rule {i}");
        }

        bool tcpFrom = false, tcpTo = false, fromExists = false, toExists = false;
        foreach (var from in rule.Objects("from"))
        {
            if (from.Obj("source") is not { } src)
            {
                v.Error($"`from.source` must not be nil, found at rule {i}");
                continue;
            }

            fromExists = true;
            string[] fields = ["principals", "requestPrincipals", "namespaces", "ipBlocks", "remoteIpBlocks", "notPrincipals", "notRequestPrincipals",
                "notNamespaces", "notIpBlocks", "notRemoteIpBlocks"];
            if (fields.All(f => src.Count(f) == 0))
            {
                v.Error($"`from.source` must not be empty, found at rule {i}");
            }

            foreach (var f in new[] { "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks" })
            {
                Ips(src.Strings(f), v);
            }

            foreach (var f in new[] { "principals", "requestPrincipals", "namespaces", "ipBlocks", "remoteIpBlocks", "notPrincipals",
                         "notRequestPrincipals", "notNamespaces", "notIpBlocks", "notRemoteIpBlocks" })
            {
                v.Error(EmptyValues(char.ToUpperInvariant(f[0]) + f[1..], src.Strings(f)));
            }

            tcpFrom |= new[] { "notPrincipals", "principals", "ipBlocks", "notIpBlocks", "namespaces", "notNamespaces", "remoteIpBlocks", "notRemoteIpBlocks" }
                .Any(src.Has);
        }

        if (rule.Has("to") && rule.Count("to") == 0)
        {
            v.Error($"`to` must not be empty, found at rule {i}");
        }

        foreach (var to in rule.Objects("to"))
        {
            if (to.Obj("operation") is not { } op)
            {
                v.Error($"`to.operation` must not be nil, found at rule {i}");
                continue;
            }

            toExists = true;
            string[] fields = ["ports", "methods", "paths", "hosts", "notPorts", "notMethods", "notPaths", "notHosts"];
            if (fields.All(f => op.Count(f) == 0))
            {
                v.Error($"`to.operation` must not be empty, found at rule {i}");
            }

            Ports(op.Strings("ports"), v);
            Ports(op.Strings("notPorts"), v);
            foreach (var f in fields)
            {
                v.Error(EmptyValues(char.ToUpperInvariant(f[0]) + f[1..], op.Strings(f)));
            }

            v.Error(PathTemplates("Paths", op.Strings("paths")));
            v.Error(PathTemplates("NotPaths", op.Strings("notPaths")));
            tcpTo |= op.Has("ports") || op.Has("notPorts");
        }

        foreach (var condition in rule.Objects("when"))
        {
            var key = condition.Str("key");
            if (key.Length == 0)
            {
                v.Error("`key` must not be empty");
                continue;
            }

            if (condition.Count("values") == 0 && condition.Count("notValues") == 0)
            {
                v.Error($"at least one of `values` or `notValues` must be set for key {key}");
                continue;
            }

            if (Attribute(key, condition.Strings("values")) is { } bad)
            {
                v.Error($"invalid `value` for `key` {key}: {bad}");
            }

            if (Attribute(key, condition.Strings("notValues")) is { } badNot)
            {
                v.Error($"invalid `notValue` for `key` {key}: {badNot}");
            }
        }

        if (((fromExists && !toExists && !tcpFrom) || (toExists && !tcpTo)) && action == "DENY" && cfg.AtLeast(12))
        {
            v.Warning("configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
        }
    }

    private static string? EmptyValues(string key, IReadOnlyList<string> values) =>
        values.Any(x => x.Length == 0) ? $"empty value not allowed, found in {key}" : null;

    private static string? PathTemplates(string key, IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var template = path.Contains("{*}") || path.Contains("{**}");
            foreach (var glob in path.Split('/'))
            {
                if (glob is "{*}" or "{**}")
                {
                    continue;
                }

                if (glob.IndexOfAny(['{', '}']) >= 0)
                {
                    return $"invalid or unsupported path {path}, found in {key}.Contains '{{' or '}}' beyond a supported path template";
                }

                if (glob.Contains('*') && template)
                {
                    return $"invalid or unsupported path {path}, found in {key}.Contains '*' beyond a supported path template";
                }
            }
        }

        return null;
    }

    /// <summary><c>security.ValidateIPs</c>: a multierror of every bad entry.</summary>
    private static void Ips(IReadOnlyList<string> ips, IstioValidation v)
    {
        var bad = IpErrors(ips);
        if (bad.Count > 0)
        {
            v.MultiErrorGroup(bad);
        }
    }

    private static List<string> IpErrors(IReadOnlyList<string> ips) =>
        [.. ips.Select(ip => ip.Contains('/')
                ? IstioNames.ValidateIpSubnet(ip) is null ? null : $"bad CIDR range ({ip}): netip.ParsePrefix(\"{ip}\"): bad prefix"
                : IstioNames.IsIp(ip) ? null : $"bad IP address ({ip})")
            .OfType<string>()];

    private static void Ports(IReadOnlyList<string> ports, IstioValidation v)
    {
        var bad = PortErrors(ports);
        if (bad.Count > 0)
        {
            v.MultiErrorGroup(bad);
        }
    }

    private static List<string> PortErrors(IReadOnlyList<string> ports) =>
        [.. ports.Select(p => ulong.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n > 65535 ? $"bad port ({p}): <nil>" : null
                : $"bad port ({p}): strconv.ParseUint: parsing \"{p}\": invalid syntax")
            .OfType<string>()];

    private static string? Attribute(string key, IReadOnlyList<string> values)
    {
        if (EmptyValues(key, values) is { } empty)
        {
            return empty;
        }

        static string? MapKey(string key)
        {
            var open = key.IndexOf('[');
            return key.EndsWith(']') && open > 0 && open < key.Length - 2 ? null : $"bad key ({key}): should have format a[b]";
        }

        static string? Joined(List<string> errors) => errors.Count == 0 ? null : IstioValidation.ListFormat(errors);

        return key switch
        {
            _ when key.StartsWith("request.headers", StringComparison.Ordinal) => MapKey(key),
            "source.ip" or "remote.ip" or "destination.ip" => Joined(IpErrors(values)),
            _ when PlainAttributes.Contains(key) => null,
            _ when key.StartsWith("request.auth.claims", StringComparison.Ordinal) => MapKey(key),
            "destination.port" => Joined(PortErrors(values)),
            _ when key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal) => MapKey(key),
            "destination.namespace" => $"attribute {key} is replaced by the metadata.namespace",
            _ when key.StartsWith("destination.labels", StringComparison.Ordinal) => $"attribute {key} is replaced by the workload selector",
            "destination.name" or "destination.user" => $"deprecated attribute {key}: only supported in v1alpha1",
            _ => $"unknown attribute: {key}",
        };
    }

    public static void PeerAuthentication(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        var selector = spec.Obj("selector");
        var emptySelector = selector is null || selector.Count("matchLabels") == 0;
        var portLevel = spec.Obj("portLevelMtls");
        if (emptySelector && portLevel is { Count: > 0 })
        {
            v.Error("mesh/namespace peer authentication cannot have port level mTLS");
        }

        if (portLevel is { Count: 0 })
        {
            v.Error("port level mTLS, if defined, must have at least one element");
        }

        foreach (var port in portLevel?.Select(p => p.Key) ?? [])
        {
            if (!uint.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n is 0 or > 65535)
            {
                v.Error("port must be in range 1..65535");
            }
        }

        CommonRules.WorkloadSelector(cfg, selector, v);
    }
}
