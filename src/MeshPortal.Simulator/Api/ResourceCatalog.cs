namespace MeshPortal.Simulator.Api;

/// <summary>
/// The resources one simulated cluster serves. Istio's networking versions follow the simulated Istio
/// version (reference §5.6): v1alpha3 and v1beta1 are served by every version this simulator knows
/// (1.6 served both), v1 only from Istio 1.22. EnvoyFilter is v1alpha3 only, as in real Istio.
/// </summary>
internal sealed class ResourceCatalog
{
    private static readonly ResourceType[] All =
    [
        new("", ["v1"], "namespaces", "namespace", "Namespace", false, ["ns"], NameIsLabel: true),
        new("", ["v1"], "pods", "pod", "Pod", true, ["po"]),
        new("", ["v1"], "services", "service", "Service", true, ["svc"], NameIsLabel: true),
        new("", ["v1"], "configmaps", "configmap", "ConfigMap", true, ["cm"]),
        new("", ["v1"], "secrets", "secret", "Secret", true, []),
        new("", ["v1"], "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"]),
        new("apps", ["v1"], "deployments", "deployment", "Deployment", true, ["deploy"]),
        new(ResourceType.IstioGroup, ["v1alpha3", "v1beta1", "v1"], "serviceentries", "serviceentry", "ServiceEntry", true, ["se"]),
        new(ResourceType.IstioGroup, ["v1alpha3", "v1beta1", "v1"], "gateways", "gateway", "Gateway", true, ["gw"]),
        new(ResourceType.IstioGroup, ["v1alpha3", "v1beta1", "v1"], "destinationrules", "destinationrule", "DestinationRule", true, ["dr"]),
        new(ResourceType.IstioGroup, ["v1alpha3"], "envoyfilters", "envoyfilter", "EnvoyFilter", true, ["ef"]),
    ];

    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> _byPath = [];
    private readonly Dictionary<(string Group, string Kind), ResourceType> _byKind = [];

    /// <summary>The simulated Istio version (its sidecar image tag).</summary>
    public string IstioVersion { get; }
    private readonly Dictionary<(string Group, string Plural), ResourceType> _byPlural = [];

    public ResourceCatalog(string istioVersion)
    {
        IstioVersion = istioVersion;
        var istio = SimVersion.Parse(istioVersion);
        foreach (var type in All)
        {
            var versions = type.Group == ResourceType.IstioGroup
                ? type.Versions.Where(v => v != "v1" || istio >= new SimVersion(1, 22)).ToArray()
                : type.Versions;
            var served = type with { Versions = versions };
            foreach (var v in versions)
            {
                _byPath[(served.Group, v, served.Plural)] = served;
            }

            _byKind[(served.Group, served.Kind)] = served;
            _byPlural[(served.Group, served.Plural)] = served;
        }

        Types = [.. _byPlural.Values];
    }

    public IReadOnlyList<ResourceType> Types { get; }

    /// <summary>Group/versions in discovery order, preferred (newest) version first per group.</summary>
    public IEnumerable<(string Group, IReadOnlyList<string> Versions)> Groups() =>
        Types.Where(t => t.Group.Length > 0)
            .GroupBy(t => t.Group)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.SelectMany(t => t.Versions).Distinct()
                .OrderByDescending(VersionRank).ToArray()));

    public IEnumerable<ResourceType> In(string group, string version) =>
        Types.Where(t => t.Group == group && t.Versions.Contains(version));

    public ResourceType? Find(string group, string version, string plural) =>
        _byPath.GetValueOrDefault((group, version, plural));

    public ResourceType? FindByPlural(string group, string plural) => _byPlural.GetValueOrDefault((group, plural));

    public ResourceType? FindByKind(string group, string kind) => _byKind.GetValueOrDefault((group, kind));

    /// <summary>Kubernetes version priority: GA &gt; beta &gt; alpha, then by number.</summary>
    public static int VersionRank(string version)
    {
        var m = System.Text.RegularExpressions.Regex.Match(version, @"^v(\d+)(?:(alpha|beta)(\d+))?$");
        if (!m.Success)
        {
            return 0;
        }

        var major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = m.Groups[2].Value switch { "alpha" => 0, "beta" => 1, _ => 2 };
        var minor = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (stage * 1000 + major) * 1000 + minor;
    }
}
