using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>What happened to one action when it was applied.</summary>
public sealed record ActionOutcome(SyncAction Action, bool Succeeded, string? Error)
{
    public static ActionOutcome Ok(SyncAction a) => new(a, true, null);
}

/// <summary>
/// Executes the writes of a plan against one cluster: namespaces first (objects need them), then applies in parallel,
/// then deletes. An object-level failure (invalid, conflict, forbidden) fails that object only; a cluster-level failure
/// (unreachable, slow, 5xx, 429, credentials) stops the push and fails every object not yet written with that reason.
/// </summary>
public sealed class SyncApplier(IClusterGateway gateway)
{
    public async Task<(IReadOnlyList<ActionOutcome> Outcomes, ClusterCallException? ClusterError)> ApplyAsync(
        ClusterConnection connection, SyncPlan plan, int concurrency, CancellationToken ct)
    {
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<ActionOutcome>();
        ClusterCallException? clusterError = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writes = plan.Writes.ToList();
        var phases = new[]
        {
            writes.Where(a => a.Kind != SyncActionKind.Delete && a.Ref is { Group: "", Plural: "namespaces" }).ToList(),
            writes.Where(a => a.Kind != SyncActionKind.Delete && a.Ref is not { Group: "", Plural: "namespaces" }).ToList(),
            writes.Where(a => a.Kind == SyncActionKind.Delete).ToList(),
        };

        foreach (var phase in phases)
        {
            if (clusterError is not null)
            {
                break;
            }

            try
            {
                await Parallel.ForEachAsync(phase, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = stop.Token },
                    async (action, token) =>
                    {
                        try
                        {
                            await WriteAsync(connection, action, token);
                            outcomes.Add(ActionOutcome.Ok(action));
                        }
                        catch (ClusterCallException ex) when (IsClusterLevel(ex))
                        {
                            Interlocked.CompareExchange(ref clusterError, ex, null);
                            await stop.CancelAsync();
                        }
                        catch (ClusterCallException ex)
                        {
                            outcomes.Add(new ActionOutcome(action, false, ex.Message));
                        }
                    });
            }
            catch (OperationCanceledException) when (clusterError is not null && !ct.IsCancellationRequested)
            {
                // Stopped because the cluster failed; the remaining actions are failed below.
            }
        }

        if (clusterError is not null)
        {
            var done = outcomes.Select(o => o.Action).ToHashSet();
            foreach (var action in writes.Where(a => !done.Contains(a)))
            {
                outcomes.Add(new ActionOutcome(action, false, clusterError.Message));
            }
        }

        return ([.. outcomes], clusterError);
    }

    /// <summary>Failures of the cluster rather than of one object: retrying later may help, and the other writes would fail too.</summary>
    public static bool IsClusterLevel(ClusterCallException ex) => ex.Kind is ClusterCallErrorKind.Unreachable or ClusterCallErrorKind.Timeout
        or ClusterCallErrorKind.TooManyRequests or ClusterCallErrorKind.ServerError or ClusterCallErrorKind.Unauthorized
        or ClusterCallErrorKind.TlsUntrusted or ClusterCallErrorKind.BadConfiguration;

    private async Task WriteAsync(ClusterConnection connection, SyncAction action, CancellationToken ct)
    {
        if (action.Kind == SyncActionKind.Delete)
        {
            await gateway.DeleteAsync(connection, action.Ref, ct);
        }
        else
        {
            await gateway.ApplyAsync(connection, action.Object!, ct);
        }
    }
}
