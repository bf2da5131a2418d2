namespace MeshPortal.Core.Features.Sync;

/// <summary>What one push of one cluster did. <see cref="Retryable"/>: the cluster (not the desired state) failed, so a retry may help.</summary>
public sealed record SyncResult(
    int ClusterId,
    string? ClusterName,
    long? RunId,
    bool Succeeded,
    int Created,
    int Updated,
    int Deleted,
    int Unchanged,
    int Failed,
    IReadOnlyList<string> Notes,
    string? Error,
    TimeSpan Duration,
    bool Retryable = false)
{
    /// <summary>
    /// Nothing planned or listed had changed since the cluster's last run found it in sync (<see cref="SyncDigest"/>), so
    /// the objects were not compared one by one.
    /// </summary>
    public bool ComparisonSkipped { get; init; }

    /// <summary>Writes issued to the cluster.</summary>
    public int Writes => Created + Updated + Deleted;

    public static SyncResult NotFound(int clusterId) =>
        new(clusterId, null, null, false, 0, 0, 0, 0, 0, [], $"No cluster with id {clusterId} is registered.", TimeSpan.Zero);
}

/// <summary>One line of a sync run's ChangesJson: an applied/failed object, or a planner note (<c>action = "note"</c>).</summary>
public sealed record SyncChange(string Action, string? Kind = null, string? Namespace = null, string? Name = null, string? Source = null, string? Message = null);
