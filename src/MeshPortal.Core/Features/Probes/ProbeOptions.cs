using System.ComponentModel.DataAnnotations;
using MeshPortal.Core.Platform.Configuration;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// <c>MeshPortal:Probes</c>. The probe pod is chosen per cluster by namespace and label selector (default the seed's
/// <c>app=sleep</c> in <c>foo</c>); <see cref="Clusters"/> overrides it per registered cluster name, and the cluster's own settings
/// (cluster page, <c>PUT /api/v1/clusters/{name}/probe-pod</c>; see <see cref="ProbePodChoice"/>) override both.
/// </summary>
public sealed class ProbeOptions
{
    public const string Section = "MeshPortal:Probes";

    /// <summary>Cron of the recurring cycle (default every minute); empty disables it ("Probe now" still works).</summary>
    [Cron]
    public string? Cron { get; set; } = "* * * * *";

    /// <summary>The cycle's interval in seconds, for staleness: a result older than two intervals is stale.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 60;

    public string Namespace { get; set; } = "foo";
    public string LabelSelector { get; set; } = "app=sleep";

    /// <summary>Container to exec in; null = the pod's first container that is not istio-proxy.</summary>
    public string? Container { get; set; }

    /// <summary>curl <c>--max-time</c> per target.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Upper bound of one exec's URL-encoded command (it travels in the pods/exec query string). 6000 fits an 8 KiB request line
    /// (the simulator, many proxies); kube-apiserver itself accepts far more, so raise it to run one exec per cluster for big meshes.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int MaxCommandChars { get; set; } = 6000;

    /// <summary>How long finding the probe pod may take before the cluster's results become Unknown.</summary>
    [Range(1, 300)]
    public int ApiTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long change points (a raw history row per change of a link's outcome) are kept: the raw history holds at most the
    /// changes of this many hours, whatever the number of targets and cycles.
    /// </summary>
    [Range(1, 87_600)]
    public int RawRetentionHours { get; set; } = 48;

    /// <summary>How long hourly roll-ups (one row per link and hour, written as results come in) are kept: at most links × 24 × this.</summary>
    [Range(1, 3_650)]
    public int RollupRetentionDays { get; set; } = 30;

    /// <summary>
    /// The canary's httpbin image. Default: the one Istio's own samples use (<c>samples/httpbin/httpbin.yaml</c> since 1.21,
    /// multi-arch amd64/arm64, listening on 8080); <c>kennethreitz/httpbin</c> is amd64-only and unmaintained. Point it at a
    /// mirror for air-gapped registries.
    /// </summary>
    public string CanaryImage { get; set; } = CanaryNames.DefaultImage;

    /// <summary>The image of MeshPortal's own probe pod (needs <c>curl</c> and <c>/bin/sleep</c>; multi-arch by default).</summary>
    public string ProbePodImage { get; set; } = ProbePod.DefaultImage;

    /// <summary>Rows per delete statement when trimming history.</summary>
    [Range(100, 1_000_000)]
    public int DeleteChunkSize { get; set; } = 5000;

    /// <summary>Per-cluster probe pod overrides, by registered cluster name.</summary>
    public Dictionary<string, ProbePodOptions> Clusters { get; set; } = new(StringComparer.Ordinal);

    public TimeSpan StaleAfter => TimeSpan.FromSeconds(Math.Max(1, IntervalSeconds) * 2);

    public ProbePodOptions PodFor(string clusterName) =>
        Clusters.TryGetValue(clusterName, out var o)
            ? new ProbePodOptions { Namespace = o.Namespace ?? Namespace, LabelSelector = o.LabelSelector ?? LabelSelector, Container = o.Container ?? Container }
            : new ProbePodOptions { Namespace = Namespace, LabelSelector = LabelSelector, Container = Container };
}

public sealed class ProbePodOptions
{
    public string? Namespace { get; set; }
    public string? LabelSelector { get; set; }
    public string? Container { get; set; }
}
