using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>How the client sidecar talks to an endpoint: Istio mTLS (with its SNI), another TLS, or plaintext.</summary>
internal enum TlsKind
{
    Plaintext,
    IstioMutual,
    OtherTls,
}

internal sealed record ClientTlsChoice(TlsKind Kind, string Sni, string Why, string? Subset);

/// <summary>
/// Client-side TLS origination (<c>pilot/pkg/networking/core/cluster_tls.go</c>): a DestinationRule for the host (the client's
/// namespace, then the host's, then the root namespace; the most specific host wins; <c>portLevelSettings</c> before
/// <c>trafficPolicy</c>) decides; without one, auto mTLS (<c>enableAutoMtls</c>) uses Istio mTLS only to endpoints labelled
/// <c>security.istio.io/tlsMode: istio</c> (injected pods); everything else is plaintext. Istio mTLS carries the SNI
/// <c>outbound_.&lt;port&gt;_.&lt;subset&gt;_.&lt;host&gt;</c> unless the DestinationRule sets <c>tls.sni</c>.
/// </summary>
internal static class ClientTls
{
    public static ClientTlsChoice For(PushContext config, string clientNamespace, MeshService service, int port, MeshEndpoint endpoint, string? subset = null)
    {
        var sni = $"outbound_.{port}_.{subset}_.{service.Hostname}";
        var rule = DestinationRule(config, clientNamespace, service.Hostname);
        var tls = rule.Objects("spec", "trafficPolicy", "portLevelSettings").FirstOrDefault(p => p.Num("port", "number") == port)?.At("tls")
            ?? rule.At("spec", "trafficPolicy", "tls");
        if (tls.Str("mode") is { } mode)
        {
            var id = $"DestinationRule {rule!.Namespace()}/{rule.Name()} (host {rule.Str("spec", "host")}) sets tls.mode {mode}";
            return mode switch
            {
                "ISTIO_MUTUAL" => new ClientTlsChoice(TlsKind.IstioMutual, tls.Str("sni") ?? sni, id, subset),
                "MUTUAL" or "SIMPLE" => new ClientTlsChoice(TlsKind.OtherTls, tls.Str("sni") ?? service.Hostname, id, subset),
                _ => new ClientTlsChoice(TlsKind.Plaintext, "", id, subset),
            };
        }

        if (config.Mesh.AutoMtls && endpoint.TlsModeIstio)
        {
            return new ClientTlsChoice(TlsKind.IstioMutual, sni, "auto mTLS: the endpoint is labelled security.istio.io/tlsMode=istio", subset);
        }

        return new ClientTlsChoice(TlsKind.Plaintext, "", config.Mesh.AutoMtls
            ? "no DestinationRule sets TLS and auto mTLS does not cover an endpoint without security.istio.io/tlsMode=istio, so the sidecar sends plaintext"
            : "enableAutoMtls is false and no DestinationRule sets TLS, so the sidecar sends plaintext", subset);
    }

    /// <summary>The DestinationRule that applies to a host for a client namespace, or null.</summary>
    public static JsonObject? DestinationRule(PushContext config, string clientNamespace, string host)
    {
        var rules = config.Local.DestinationRules
            .Where(r => r.Str("spec", "host") is { } h && HostMatch.Matches(Qualify(h, r.Namespace()), host)
                && Visibility.Exported([.. r.Strings("spec", "exportTo")], r.Namespace(), clientNamespace))
            .ToList();
        var hostNamespace = host.Split('.') is { Length: 5 } labels && labels[2] == "svc" ? labels[1] : null;
        foreach (var ns in new[] { clientNamespace, hostNamespace, config.Mesh.RootNamespace })
        {
            var best = rules.Where(r => r.Namespace() == ns)
                .OrderBy(r => r.Str("spec", "host")!, Comparer<string>.Create((a, b) => HostMatch.MoreSpecific(a, b) ? -1 : HostMatch.MoreSpecific(b, a) ? 1 : 0))
                .ThenBy(r => r.Name(), StringComparer.Ordinal)
                .FirstOrDefault();
            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    /// <summary>The labels of a DestinationRule subset, or null when the host's rule has no such subset.</summary>
    public static IReadOnlyDictionary<string, string>? SubsetLabels(PushContext config, string ns, string host, string subset) =>
        DestinationRule(config, ns, host).Objects("spec", "subsets").FirstOrDefault(s => s.Str("name") == subset)?.Map("labels");

    /// <summary>A short name in a DestinationRule (<c>httpbin</c>) means <c>httpbin.&lt;its namespace&gt;.svc.cluster.local</c>.</summary>
    private static string Qualify(string host, string ns) =>
        host.Contains('.') || host.StartsWith('*') ? host : $"{host}.{ns}.svc.cluster.local";
}
