using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// What an <c>istioctl install</c> of one version with the cluster's settings renders, decided once from
/// <see cref="SimulatedClusterOptions"/> (per-version defaults in <see cref="IstioReleases"/>). Pure.
/// </summary>
internal sealed record InstallPlan
{
    public const string DefaultProfile = "default";
    public const string MulticlusterProfile = "multicluster-gateways";
    public const string SystemNamespace = "istio-system";

    public required SimVersion Version { get; init; }

    /// <summary>The image tag (the version as given, e.g. 1.24.3).</summary>
    public required string Tag { get; init; }

    public required bool Overlay { get; init; }

    public string? Revision { get; init; }

    public string RevisionLabel => Revision ?? "default";

    public string IstiodName => Revision is null ? "istiod" : $"istiod-{Revision}";

    public string MeshConfigMapName => Revision is null ? "istio" : $"istio-{Revision}";

    /// <summary>istiod's service account: <c>istiod-service-account</c> before 1.12, <c>istiod[-rev]</c> from 1.12.</summary>
    public string IstiodServiceAccount => Version < new SimVersion(1, 12) ? "istiod-service-account" : IstiodName;

    /// <summary>CLUSTER_ID as the charts render it: <c>multiCluster.clusterName | default "Kubernetes"</c>.</summary>
    public required string ClusterId { get; init; }

    public string? MeshId { get; init; }

    public string? GlobalNetwork { get; init; }

    /// <summary>The network named to <c>gen-eastwest-gateway.sh --network</c>: the install value, else the cluster's network.</summary>
    public string? EastWestNetwork { get; init; }

    public bool IstioCoreDns => Overlay && IstioReleases.HasIstioCoreDns(Version);

    public bool BuiltInGlobal => Overlay && IstioReleases.HasBuiltInGlobalTemplate(Version);

    public string? IngressRouterMode { get; init; }

    public required bool IngressPassthroughPort { get; init; }

    public required bool EastWestGateway { get; init; }

    public required bool CacertsAtInstall { get; init; }

    /// <summary><c>values.pilot.env</c>, sorted by name as Helm ranges over a map.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> PilotEnv { get; init; }

    /// <summary><c>meshConfig.defaultConfig.proxyMetadata</c>, sorted by name.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> ProxyMetadata { get; init; }

    public static InstallPlan For(SimulatedClusterOptions options)
    {
        var version = SimVersion.Parse(options.IstioVersion);
        var overlay = (options.Profile ?? (version < new SimVersion(1, 8) ? MulticlusterProfile : DefaultProfile)) == MulticlusterProfile;
        var env = new SortedDictionary<string, string>(options.IstiodEnv, StringComparer.Ordinal);
        if (options.LegacyAutoPassthrough)
        {
            env["PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH"] = "true";
        }

        if (options.McsServiceDiscovery)
        {
            env["ENABLE_MCS_SERVICE_DISCOVERY"] = "true";
        }

        if (options.McsHost)
        {
            env["ENABLE_MCS_HOST"] = "true";
        }

        var metadata = new SortedDictionary<string, string>(options.ProxyMetadata, StringComparer.Ordinal);
        if (options.DnsCapture)
        {
            metadata[IstioFeatures.DnsCapture] = "true";
        }

        return new InstallPlan
        {
            Version = version,
            Tag = options.IstioVersion.TrimStart('v'),
            Overlay = overlay,
            Revision = options.Revision,
            ClusterId = options.ClusterId ?? "Kubernetes",
            MeshId = options.MeshId,
            GlobalNetwork = options.GlobalNetwork,
            EastWestNetwork = options.GlobalNetwork ?? options.Network,
            IngressRouterMode = options.IngressRouterMode ?? IstioReleases.DefaultIngressRouterMode(version),
            IngressPassthroughPort = options.IngressPassthroughPort ?? IstioReleases.IngressHasPassthroughPortByDefault(version),
            EastWestGateway = options.EastWestGateway,
            CacertsAtInstall = options.CacertsAtInstall,
            PilotEnv = [.. env],
            ProxyMetadata = [.. metadata],
        };
    }
}
