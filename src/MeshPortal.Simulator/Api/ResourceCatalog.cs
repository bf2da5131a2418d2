namespace MeshPortal.Simulator.Api;

/// <summary>
/// The resources one simulated cluster serves. The Istio CRDs' served versions follow the simulated Istio version as
/// <c>manifests/charts/base/crds/crd-all.gen.yaml</c> (<c>files/</c> from 1.24) declares them at each tag:
/// networking v1alpha3 + v1beta1 at every release from 1.6, v1 from 1.22.0 (EnvoyFilter stays v1alpha3 only);
/// security AuthorizationPolicy v1beta1, v1 from 1.17.0; PeerAuthentication v1beta1, v1 from 1.22.0 (checked at
/// 1.16.x/1.17.0 and 1.21.6/1.22.0). The MCS CRDs (kubernetes-sigs/mcs-api v0.1.0 <c>config/crd</c>) are not part of
/// Istio: served only when the cluster has them installed. A resource not served answers 404 and is absent from
/// discovery, as on a real API server.
/// </summary>
internal sealed class ResourceCatalog
{
    private static readonly SimVersion Always = new(0, 0);

    private static readonly Definition[] All =
    [
        new(new("", ["v1"], "namespaces", "namespace", "Namespace", false, ["ns"], NameIsLabel: true)),
        new(new("", ["v1"], "pods", "pod", "Pod", true, ["po"])),
        new(new("", ["v1"], "services", "service", "Service", true, ["svc"], NameIsLabel: true)),
        new(new("", ["v1"], "configmaps", "configmap", "ConfigMap", true, ["cm"])),
        new(new("", ["v1"], "secrets", "secret", "Secret", true, [])),
        new(new("", ["v1"], "serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"])),
        new(new("apps", ["v1"], "deployments", "deployment", "Deployment", true, ["deploy"])),
        Networking("serviceentries", "serviceentry", "ServiceEntry", ["se"]),
        Networking("gateways", "gateway", "Gateway", ["gw"]),
        Networking("destinationrules", "destinationrule", "DestinationRule", ["dr"]),
        Networking("virtualservices", "virtualservice", "VirtualService", ["vs"]),
        Networking("sidecars", "sidecar", "Sidecar", []),
        new(new(ResourceType.IstioGroup, ["v1alpha3"], "envoyfilters", "envoyfilter", "EnvoyFilter", true, [])),

        // "ap" was added to AuthorizationPolicy's shortNames in 1.22.0 (absent at 1.21.6).
        new(new(ResourceType.SecurityGroup, ["v1beta1", "v1"], "authorizationpolicies", "authorizationpolicy", "AuthorizationPolicy", true, ["ap"]),
            new Dictionary<string, SimVersion> { ["v1"] = new(1, 17) }, ShortNamesSince: new(1, 22)),
        new(new(ResourceType.SecurityGroup, ["v1beta1", "v1"], "peerauthentications", "peerauthentication", "PeerAuthentication", true, ["pa"]),
            new Dictionary<string, SimVersion> { ["v1"] = new(1, 22) }),
        new(new(ResourceType.McsGroup, ["v1alpha1"], "serviceexports", "serviceexport", "ServiceExport", true, ["svcex"]), NeedsMcs: true),
        new(new(ResourceType.McsGroup, ["v1alpha1"], "serviceimports", "serviceimport", "ServiceImport", true, ["svcim"]), NeedsMcs: true),
    ];

    private readonly Dictionary<(string Group, string Version, string Plural), ResourceType> _byPath = [];
    private readonly Dictionary<(string Group, string Kind), ResourceType> _byKind = [];
    private readonly Dictionary<(string Group, string Plural), ResourceType> _byPlural = [];

    public ResourceCatalog(string istioVersion, bool mcsCrdsInstalled = false)
    {
        IstioVersion = istioVersion;
        McsCrdsInstalled = mcsCrdsInstalled;
        var istio = SimVersion.Parse(istioVersion);
        foreach (var d in All.Where(d => !d.NeedsMcs || mcsCrdsInstalled))
        {
            var versions = d.Type.Versions.Where(v => istio >= (d.VersionSince?.GetValueOrDefault(v, Always) ?? Always)).ToArray();
            var served = d.Type with
            {
                Versions = versions,
                ShortNames = d.ShortNamesSince is { } since && istio < since ? [] : d.Type.ShortNames,
            };
            foreach (var v in versions)
            {
                _byPath[(served.Group, v, served.Plural)] = served;
            }

            _byKind[(served.Group, served.Kind)] = served;
            _byPlural[(served.Group, served.Plural)] = served;
        }

        Types = [.. _byPlural.Values];
    }

    /// <summary>The simulated Istio version (its sidecar image tag).</summary>
    public string IstioVersion { get; }

    /// <summary>Whether the MCS CRDs (ServiceExport, ServiceImport) are installed.</summary>
    public bool McsCrdsInstalled { get; }

    public IReadOnlyList<ResourceType> Types { get; }

    /// <summary>Group/versions in discovery order, preferred (highest priority) version first per group.</summary>
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

    private static Definition Networking(string plural, string singular, string kind, IReadOnlyList<string> shortNames) =>
        new(new(ResourceType.IstioGroup, ["v1alpha3", "v1beta1", "v1"], plural, singular, kind, true, shortNames),
            new Dictionary<string, SimVersion> { ["v1"] = new(1, 22) });

    /// <summary>A resource with every version it ever had, the Istio release each version (and the short names) appeared in.</summary>
    private sealed record Definition(
        ResourceType Type,
        IReadOnlyDictionary<string, SimVersion>? VersionSince = null,
        SimVersion? ShortNamesSince = null,
        bool NeedsMcs = false);
}
