using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>What the server sidecar knows about a request when it checks AuthorizationPolicies.</summary>
internal sealed record RequestFacts(string? Principal, string Method, string Path, int Port, string Host);

/// <summary>
/// AuthorizationPolicy at the server sidecar (<c>security.istio.io</c>; <c>pilot/pkg/security/authz</c>): the policies of the pod's
/// namespace and the root namespace whose <c>selector.matchLabels</c> match the pod. A DENY policy with a matching rule denies;
/// if any ALLOW policy applies and none of its rules matches, the request is denied (an ALLOW policy without rules allows nothing).
/// Denied requests get <c>403 RBAC: access denied</c>. Rules match on <c>from.source</c> principals/namespaces (known only with
/// Istio mTLS), <c>to.operation</c> methods/paths/ports/hosts and their <c>not</c> forms; <c>when</c> conditions and
/// <c>requestPrincipals</c> (JWT) are not modelled and count as "does not match" for ALLOW and "matches" for DENY (strict).
/// AUDIT and CUSTOM policies do not decide.
/// </summary>
internal static class Authorization
{
    public static string? Denies(PushContext config, PodInfo pod, RequestFacts request)
    {
        var policies = config.Local.AuthorizationPolicies
            .Where(p => (p.Namespace() == pod.Namespace || p.Namespace() == config.Mesh.RootNamespace)
                && p.Map("spec", "selector", "matchLabels").All(kv => pod.Labels.GetValueOrDefault(kv.Key) == kv.Value))
            .ToList();
        foreach (var deny in policies.Where(p => p.Str("spec", "action") == "DENY"))
        {
            if (deny.Objects("spec", "rules").Any(r => Matches(r, request, unknownMatches: true)))
            {
                return $"AuthorizationPolicy {deny.Namespace()}/{deny.Name()} (DENY) matches the request";
            }
        }

        var allows = policies.Where(p => (p.Str("spec", "action") ?? "ALLOW") == "ALLOW").ToList();
        if (allows.Count > 0 && !allows.Any(p => p.Objects("spec", "rules").Any(r => Matches(r, request, unknownMatches: false))))
        {
            return $"no rule of the ALLOW AuthorizationPolicies {string.Join(", ", allows.Select(p => $"{p.Namespace()}/{p.Name()}"))} matches the request";
        }

        return null;
    }

    private static bool Matches(JsonObject rule, RequestFacts request, bool unknownMatches)
    {
        if (rule.At("when") is JsonArray { Count: > 0 })
        {
            return unknownMatches;
        }

        var from = rule.Objects("from").ToList();
        if (from.Count > 0 && !from.Any(f => Source(f.At("source"), request, unknownMatches)))
        {
            return false;
        }

        var to = rule.Objects("to").ToList();
        return to.Count == 0 || to.Any(t => Operation(t.At("operation"), request));
    }

    private static bool Source(JsonNode? source, RequestFacts request, bool unknownMatches)
    {
        if (source.At("requestPrincipals") is not null || source.At("notRequestPrincipals") is not null)
        {
            return unknownMatches;
        }

        var ns = request.Principal?.Split('/') is { Length: 5 } parts && parts[1] == "ns" ? parts[2] : null;
        return Field(source, "principals", "notPrincipals", request.Principal)
            && Field(source, "namespaces", "notNamespaces", ns)
            && Field(source, "ipBlocks", "notIpBlocks", null);
    }

    private static bool Operation(JsonNode? operation, RequestFacts request) =>
        Field(operation, "methods", "notMethods", request.Method)
        && Field(operation, "paths", "notPaths", request.Path.Split('?')[0])
        && Field(operation, "ports", "notPorts", request.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        && Field(operation, "hosts", "notHosts", request.Host);

    /// <summary>A field and its <c>not</c> form: absent matches anything; a value must match one of the list and none of the not-list.</summary>
    private static bool Field(JsonNode? node, string name, string notName, string? value)
    {
        var values = node.Strings(name).ToList();
        var notValues = node.Strings(notName).ToList();
        if (node.At(name) is not null && (value is null || !values.Any(v => StringMatch(v, value))))
        {
            return false;
        }

        return value is null || !notValues.Any(v => StringMatch(v, value));
    }

    /// <summary>Istio's string match: exact, <c>*</c>, <c>prefix*</c> or <c>*suffix</c>.</summary>
    private static bool StringMatch(string pattern, string value) => pattern switch
    {
        "*" => true,
        _ when pattern.EndsWith('*') => value.StartsWith(pattern[..^1], StringComparison.Ordinal),
        _ when pattern.StartsWith('*') => value.EndsWith(pattern[1..], StringComparison.Ordinal),
        _ => pattern == value,
    };
}
