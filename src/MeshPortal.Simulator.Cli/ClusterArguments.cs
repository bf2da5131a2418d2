using System.Globalization;

namespace MeshPortal.Simulator.Cli;

/// <summary>
/// <c>--cluster NAME:key=value,key=value</c>: one cluster's settings, on top of the defaults the other flags set. Keys name the
/// <see cref="SimulatedClusterOptions"/> settings; <c>istiodEnv.NAME=v</c> and <c>proxyMetadata.NAME=v</c> add map entries.
/// </summary>
internal static class ClusterArguments
{
    private static readonly Dictionary<string, Action<SimulatedClusterOptions, string>> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["istio"] = (o, v) => o.IstioVersion = v,
        ["kubernetes"] = (o, v) => o.KubernetesVersion = v,
        ["profile"] = (o, v) => o.Profile = v,
        ["revision"] = (o, v) => o.Revision = v,
        ["meshId"] = (o, v) => o.MeshId = v,
        ["clusterId"] = (o, v) => o.ClusterId = v,
        ["network"] = (o, v) => o.Network = v,
        ["globalNetwork"] = (o, v) => o.GlobalNetwork = v,
        ["dnsCapture"] = (o, v) => o.DnsCapture = Bool("dnsCapture", v),
        ["ingressRouterMode"] = (o, v) => o.IngressRouterMode = v,
        ["ingressPassthroughPort"] = (o, v) => o.IngressPassthroughPort = Bool("ingressPassthroughPort", v),
        ["legacyAutoPassthrough"] = (o, v) => o.LegacyAutoPassthrough = Bool("legacyAutoPassthrough", v),
        ["mcsServiceDiscovery"] = (o, v) => o.McsServiceDiscovery = Bool("mcsServiceDiscovery", v),
        ["mcsHost"] = (o, v) => o.McsHost = Bool("mcsHost", v),
        ["mcsCrds"] = (o, v) => o.McsCrdsInstalled = Bool("mcsCrds", v),
        ["eastWestGateway"] = (o, v) => o.EastWestGateway = Bool("eastWestGateway", v),
        ["cacertsAtInstall"] = (o, v) => o.CacertsAtInstall = Bool("cacertsAtInstall", v),
        ["kubeDns"] = (o, v) => o.UseKubeDns = Bool("kubeDns", v),
        ["loadBalancer"] = (o, v) => o.GatewayHasLoadBalancer = Bool("loadBalancer", v),
        ["extraServices"] = (o, v) => o.ExtraServices = Int("extraServices", v),
        ["extraServicesFrom"] = (o, v) => o.ExtraServicesFrom = Int("extraServicesFrom", v),
        ["port"] = (o, v) => o.Port = Int("port", v),
    };

    public static string KeyList => string.Join(", ", Keys.Keys) + ", istiodEnv.NAME, proxyMetadata.NAME";

    public static void Apply(SimulatorOptions options, string spec)
    {
        var colon = spec.IndexOf(':');
        var name = colon < 0 ? spec : spec[..colon];
        if (name.Length == 0)
        {
            throw new ArgumentException($"--cluster \"{spec}\" needs a cluster name before ':' (e.g. cluster-2:istio=1.24.3)");
        }

        var target = options.ClusterOverrides.FirstOrDefault(o => o.Name == name);
        if (target is null)
        {
            target = options.Defaults.Clone(name);
            options.ClusterOverrides.Add(target);
        }

        foreach (var pair in colon < 0 ? [] : spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                throw new ArgumentException($"--cluster {name}: \"{pair}\" is not key=value");
            }

            var (key, value) = (pair[..eq], pair[(eq + 1)..]);
            if (key.StartsWith("istiodEnv.", StringComparison.OrdinalIgnoreCase))
            {
                target.IstiodEnv[key["istiodEnv.".Length..]] = value;
            }
            else if (key.StartsWith("proxyMetadata.", StringComparison.OrdinalIgnoreCase))
            {
                target.ProxyMetadata[key["proxyMetadata.".Length..]] = value;
            }
            else if (Keys.TryGetValue(key, out var set))
            {
                set(target, value);
            }
            else
            {
                throw new ArgumentException($"--cluster {name}: unknown key \"{key}\"; known: {KeyList}");
            }
        }
    }

    private static bool Bool(string key, string value) => bool.TryParse(value, out var b) ? b : throw new ArgumentException($"{key} must be true or false, not \"{value}\"");

    private static int Int(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{key} must be a number, not \"{value}\"");
}
