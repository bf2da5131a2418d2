using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Merges the <c>global</c> stub domain into kube-dns's <c>stubDomains</c> JSON (reference §2, tab KubeDNS), keeping the
/// other domains; removes it again when it is the one MeshPortal set. Pure. Returns null when the existing value is not a
/// JSON object (nothing is overwritten then).
/// </summary>
public static class StubDomainsEditor
{
    public const string Domain = "global";

    public static string? WithGlobal(string? stubDomains, string istioCoreDnsIp)
    {
        var root = Parse(stubDomains);
        if (root is null)
        {
            return null;
        }

        if (root[Domain] is JsonArray { Count: 1 } current && (string?)current[0] == istioCoreDnsIp)
        {
            return stubDomains;
        }

        root[Domain] = new JsonArray(istioCoreDnsIp);
        return root.ToJsonString();
    }

    /// <summary>The value without MeshPortal's <c>global</c> entry; empty string when nothing else remains.</summary>
    public static string? WithoutGlobal(string? stubDomains, string? istioCoreDnsIp)
    {
        var root = Parse(stubDomains);
        if (root is null || root[Domain] is not JsonArray { Count: 1 } current || (istioCoreDnsIp is not null && (string?)current[0] != istioCoreDnsIp))
        {
            return stubDomains;
        }

        root.Remove(Domain);
        return root.Count == 0 ? "" : root.ToJsonString();
    }

    public static bool HasGlobal(string? stubDomains) => Parse(stubDomains)?.ContainsKey(Domain) == true;

    private static JsonObject? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
