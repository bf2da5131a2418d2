using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// The small hook that gives a cluster registered after the root its intermediate at once: on a cluster change it issues
/// what is missing (a cheap query when nothing is) and requests a push of the clusters that got one.
/// <para>
/// Runs are serialised and coalesced: a change while none runs starts one at once; changes during a run or within
/// <see cref="CoolDown"/> after it fold into one more run, which reads everything anew. Every change is still followed by
/// a run that started after it, but a burst of export creates (each a change of its exporting cluster) costs a few runs a
/// second instead of the mesh-CA and intermediate reads on every create.
/// </para>
/// </summary>
public sealed partial class TrustClusterWatcher(
    ClusterEvents events, IntermediateIssuer issuer, IServiceScopeFactory scopes, ILogger<TrustClusterWatcher> logger) : IHostedService, IDisposable
{
    // Shutdown: no new work, running work cancelled and awaited, so nothing touches disposed services (an
    // ObjectDisposedException on every shutdown that followed a cluster change, issue 17 finding 16).
    private readonly CancellationTokenSource stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> running = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private int queued;

    /// <summary>How long after a run further changes wait to be folded into the next one.</summary>
    public static readonly TimeSpan CoolDown = TimeSpan.FromMilliseconds(250);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        events.Changed -= OnChanged;
        await stopping.CancelAsync();
        try
        {
            await Task.WhenAll(running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown timeout ended the wait; the work itself is cancelled
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        gate.Dispose();
    }

    private void OnChanged(string clusterName)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        // One run waiting at most: it clears the flag when it starts, so a change after that queues the next one.
        if (Interlocked.CompareExchange(ref queued, 1, 0) != 0)
        {
            return;
        }

        var work = Task.Run(() => RunAsync(clusterName, stopping.Token));
        running.TryAdd(work, true);
        work.ContinueWith(done => running.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task RunAsync(string clusterName, CancellationToken ct)
    {
        try
        {
            await gate.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            Interlocked.Exchange(ref queued, 0);
            await IssueMissingAsync(clusterName, ct);
            await Task.Delay(CoolDown, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutting down
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task IssueMissingAsync(string clusterName, CancellationToken ct)
    {
        try
        {
            var issued = await issuer.EnsureAllAsync(ct);
            if (issued.Count > 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                foreach (var scheduler in scope.ServiceProvider.GetServices<ISyncScheduler>())
                {
                    scheduler.RequestSync(issued, TrustService.SyncTrigger);
                }
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // shutting down: the next start issues what is still missing
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, clusterName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issuing missing intermediates after a change of {Cluster} failed; the next push retries")]
    private static partial void LogFailed(ILogger logger, Exception ex, string cluster);
}
