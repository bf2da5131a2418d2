using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>
/// Everything the evaluator looks at, read in a fixed number of queries per cycle (<see cref="AlertSnapshotReader"/>), never per
/// export. Only the failing parts are loaded (failing links, failing consumers), plus small per-cluster facts.
/// </summary>
public sealed record AlertSnapshot(
    DateTimeOffset Now,
    IReadOnlyList<ClusterFact> Clusters,
    IReadOnlyList<LinkFact> FailingLinks,
    IReadOnlyDictionary<int, ExportFact> Exports,
    IReadOnlyList<ConsumerFailure> ConsumerFailures,
    IReadOnlyList<PushTail> Pushes,
    IReadOnlyList<CaFact> Certificates,
    ProbeActivity Probes);

/// <param name="RemoteSyncProblem">for a multi-primary cluster: which remote clusters its istiod has not synced, and why (null when all are).</param>
public sealed record ClusterFact(int Id, string Name, DateTimeOffset? LastCheckedAt, bool? LastCheckPassed, string? LastFailedStage, string? RemoteSyncProblem = null);

/// <summary>The latest failing probe result of one link (consumer cluster → exported host:port).</summary>
public sealed record LinkFact(int SourceClusterId, int TargetClusterId, int ExportId, string Host, int Port, ProbeStatus Status,
    string? Message, string? Hint, DateTimeOffset ObservedAt);

public sealed record ExportFact(int Id, int ClusterId, string Namespace, string Service, string Host, IReadOnlyList<string> Teams);

/// <summary>An export consumer whose managed objects are in a state other than Synced or Pending (the state's name).</summary>
public sealed record ConsumerFailure(int ExportId, int ClusterId, string State, string? Message, DateTimeOffset? At);

/// <summary>A cluster's latest pushes: how many of the most recent ones failed in a row, and the latest error.</summary>
public sealed record PushTail(int ClusterId, int ConsecutiveFailures, string? LastError, DateTimeOffset LastAt);

/// <summary>A certificate MeshPortal keeps: the mesh root (<see cref="ClusterId"/> null) or a cluster's intermediate.</summary>
public sealed record CaFact(string Kind, int? ClusterId, string Subject, DateTimeOffset NotAfter);

/// <summary>Whether probes are expected (a cycle is scheduled and something is consumed) and the newest result's time.</summary>
public sealed record ProbeActivity(bool Expected, DateTimeOffset? NewestObservedAt, TimeSpan Interval);
