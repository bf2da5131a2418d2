using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Core.Features.Clusters;

public enum CheckResult
{
    Pass,
    Fail,
    Skip,
}

/// <summary>One stage of the staged connection check. <see cref="Id"/> is stable (API contract).</summary>
public sealed record CheckStage(string Id, string Title, CheckResult Result, long DurationMs, string Message, string? Hint);

/// <summary>What the check learned about the cluster (null where the stage did not get that far).</summary>
public sealed record ClusterFacts
{
    public string? KubernetesVersion { get; init; }
    public string? IstioVersion { get; init; }
    /// <summary>Load-balancer IP or hostname of istio-ingressgateway, or a node address when only a nodePort exists.</summary>
    public string? GatewayAddress { get; init; }
    /// <summary>443-style port for cross-cluster traffic: 15443, or the nodePort mapped to 15443.</summary>
    public int? GatewayPort { get; init; }
    /// <summary>ClusterIP of istio-system/istiocoredns, when present.</summary>
    public string? IstioCoreDnsAddress { get; init; }
    /// <summary>True when the cluster's Istio does DNS proxying (ISTIO_META_DNS_CAPTURE), so no stub domain is needed.</summary>
    public bool DnsProxying { get; init; }
    /// <summary>"kube-dns" or "coredns" when found.</summary>
    public string? DnsProvider { get; init; }
    /// <summary>What the "mesh model" stage read (null when the check did not get that far).</summary>
    public MeshFacts? Mesh { get; init; }
}

public sealed record ConnectionCheckReport(IReadOnlyList<CheckStage> Stages, ClusterFacts Facts, DateTimeOffset StartedAt)
{
    public bool Passed => Stages.All(s => s.Result != CheckResult.Fail);
}
