using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

/// <summary>A registered cluster as the topology sees it.</summary>
public sealed record TopologyCluster(
    int Id,
    string Name,
    string? IstioVersion,
    string? GatewayAddress,
    bool? ApiReachable,
    DateTimeOffset? LastCheckedAt,
    string Sync,
    DateTimeOffset? TrustNotAfter);

/// <summary>The latest probe result of one link, with cluster names resolved.</summary>
public sealed record ProbeResultView(
    int SourceClusterId,
    string Source,
    int TargetClusterId,
    string Target,
    string Host,
    int Port,
    ProbeStatus Status,
    int? HttpStatus,
    double? LatencyMs,
    DateTimeOffset ObservedAt,
    string? Message,
    string? Hint);

/// <summary>Node and edge states (the colours): green ok, amber partial, red failing, grey unknown or stale.</summary>
public static class TopologyStates
{
    public const string Ok = "ok";
    public const string Partial = "partial";
    public const string Failing = "failing";
    public const string Unknown = "unknown";
    public const string Stale = "stale";
}

/// <summary>
/// A cluster node; <see cref="X"/>/<see cref="Y"/> are a stable circle layout in the unit square. <see cref="Network"/> is the
/// cluster's network as its last check read it (null when unknown), filled in by <see cref="TopologyQueries.GraphAsync"/>.
/// </summary>
public sealed record TopologyNode(
    string Id,
    string Kind,
    string Label,
    string State,
    string? IstioVersion,
    string? GatewayAddress,
    bool? ApiReachable,
    string Sync,
    DateTimeOffset? TrustNotAfter,
    double X,
    double Y,
    string? Network = null);

/// <summary>One service link inside an edge (a struct: a 100-cluster mesh has ~200,000 of them, built on every refresh).</summary>
public readonly record struct TopologyServiceLink(string Host, int Port, ProbeStatus Status, bool Stale, double? LatencyMs, DateTimeOffset ObservedAt, string? Message, string? Hint);

/// <summary>Probes from <see cref="Source"/> (consumer) to services of <see cref="Target"/> (exporter), aggregated.</summary>
public sealed record TopologyEdge(
    string Id,
    string Source,
    string Target,
    string State,
    int Total,
    int OkCount,
    double OkShare,
    ProbeStatus WorstStatus,
    double? P50LatencyMs,
    DateTimeOffset LastObservedAt,
    IReadOnlyList<TopologyServiceLink> Services);

public sealed record TopologyGraph(IReadOnlyList<TopologyNode> Nodes, IReadOnlyList<TopologyEdge> Edges, DateTimeOffset GeneratedAt);
