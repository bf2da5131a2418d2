namespace MeshPortal.Core.Persistence;

/// <summary>
/// The latest probe result of one (consumer cluster, host, port): one row per link, replaced every cycle.
/// <see cref="Status"/> is a <c>ProbeStatus</c> name (Ok, Dns, Connect, Tls, NoUpstream, NotFound, ProbePodMissing, Unknown).
/// </summary>
public sealed class ProbeResultEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public ClusterEntity? SourceCluster { get; set; }
    public int TargetClusterId { get; set; }
    public int ExportId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public required string Status { get; set; }
    public int? HttpStatus { get; set; }
    public double? LatencyMs { get; set; }
    public int? ExitCode { get; set; }
    public string? Message { get; set; }
    public string? Hint { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>Raw history of probe results (kept for <c>MeshPortal:Probes:RawRetentionHours</c>, then rolled up by hour).</summary>
public sealed class ProbeHistoryEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public int TargetClusterId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public required string Status { get; set; }
    public int? HttpStatus { get; set; }
    public double? LatencyMs { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>One hour of one link's results: counts and latency (kept for <c>MeshPortal:Probes:RollupRetentionDays</c>).</summary>
public sealed class ProbeRollupEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public int TargetClusterId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public DateTimeOffset HourStart { get; set; }
    public int Count { get; set; }
    public int OkCount { get; set; }
    public double LatencySumMs { get; set; }
    public double LatencyMaxMs { get; set; }
    public required string WorstStatus { get; set; }
}
