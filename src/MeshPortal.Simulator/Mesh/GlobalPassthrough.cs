using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Whether a target cluster's gateway routes <c>*.global</c> SNI on 15443 to its services.</summary>
internal enum PassthroughState
{
    Accepted,

    /// <summary>No Gateway opens 15443: nothing listens, the connection is refused.</summary>
    NoListener,

    /// <summary>15443 listens, but no SNI rewrite maps <c>.global</c> to <c>.svc.cluster.local</c>: the handshake is cut.</summary>
    NoSniRewrite,
}

/// <summary>
/// Istio &lt; 1.10 ships the <c>istio-multicluster-ingressgateway</c> Gateway + EnvoyFilter with the multicluster
/// values (the <c>sni-dnat</c> era): built in. From 1.10 on the template is gone, so the cluster needs a Gateway on 15443 with
/// <c>tls.mode: AUTO_PASSTHROUGH</c> and hosts covering <c>*.global</c>, plus an EnvoyFilter in istio-system doing the
/// <c>.global</c> SNI rewrite (matched loosely: its spec mentions "global").
/// </summary>
internal static class GlobalPassthrough
{
    public static (PassthroughState State, string Explanation) Check(IMeshClusterView target)
    {
        if (IstioFeatures.Version(target) < new SimVersion(1, 10))
        {
            return (PassthroughState.Accepted, $"Istio {target.IstioVersion} has the built-in *.global passthrough");
        }

        var gateway = target.List("networking.istio.io", "gateways").FirstOrDefault(OpensGlobalPassthrough);
        if (gateway is null)
        {
            return (PassthroughState.NoListener,
                $"{target.Name} runs Istio {target.IstioVersion} (no built-in *.global passthrough) and has no Gateway with port 15443, tls.mode AUTO_PASSTHROUGH, hosts *.global");
        }

        var rewrite = target.List("networking.istio.io", "envoyfilters", "istio-system")
            .Any(f => f["spec"]?.ToJsonString().Contains("global", StringComparison.OrdinalIgnoreCase) == true);
        return rewrite
            ? (PassthroughState.Accepted, $"Gateway {gateway.Namespace()}/{gateway.Name()} and an SNI-rewrite EnvoyFilter accept *.global")
            : (PassthroughState.NoSniRewrite,
                $"{target.Name} has Gateway {gateway.Namespace()}/{gateway.Name()} on 15443 but no EnvoyFilter in istio-system rewriting the .global SNI");
    }

    private static bool OpensGlobalPassthrough(JsonObject gateway) =>
        gateway.Objects("spec", "servers").Any(server =>
            server.Num("port", "number") == GatewayLocator.PassthroughPort
            && string.Equals(server.Str("tls", "mode"), "AUTO_PASSTHROUGH", StringComparison.OrdinalIgnoreCase)
            && server.Strings("hosts").Any(CoversGlobal));

    private static bool CoversGlobal(string host)
    {
        var slash = host.IndexOf('/');
        var name = slash >= 0 ? host[(slash + 1)..] : host;
        return name is "*" or "*.global";
    }
}
