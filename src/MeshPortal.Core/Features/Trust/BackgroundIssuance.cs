using System.Threading.Channels;
using MeshPortal.Core.Platform.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Runs long intermediate issuance (many RSA 4096 keys) off the request path, one batch at a time, in this process:
/// the request returns at once, <see cref="IssuanceProgress"/> shows how far it got, and the issued clusters are pushed
/// when the batch is done. Nothing is lost on a crash: the next push issues whatever is still missing.
/// </summary>
public sealed partial class BackgroundIssuance(
    IntermediateIssuer issuer,
    IssuanceProgress progress,
    IEnumerable<ISyncScheduler> schedulers,
    ILogger<BackgroundIssuance> logger) : BackgroundService
{
    private readonly Channel<(string What, Func<IntermediateIssuer, CancellationToken, Task<IReadOnlyList<int>>> Work)> queue =
        Channel.CreateUnbounded<(string, Func<IntermediateIssuer, CancellationToken, Task<IReadOnlyList<int>>>)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues a batch; <paramref name="work"/> gets the issuer and returns the ids of the clusters it issued for.</summary>
    public void Enqueue(string what, Func<IntermediateIssuer, CancellationToken, Task<IReadOnlyList<int>>> work)
    {
        if (!queue.Writer.TryWrite((what, work)))
        {
            throw new InvalidOperationException("The background issuance queue is closed.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await DrainAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a batch in progress is issued again by the next push (missing intermediates are issued).
        }
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        await foreach (var (what, work) in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var issued = await work(issuer, stoppingToken);
                foreach (var scheduler in schedulers)
                {
                    scheduler.RequestSync(issued, TrustService.SyncTrigger);
                }

                LogDone(logger, what, issued.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, what, ex);
                progress.End($"{what} failed: {ex.Message}");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Background issuance done: {What}, {Count} cluster(s)")]
    private static partial void LogDone(ILogger logger, string what, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background issuance failed: {What}")]
    private static partial void LogFailed(ILogger logger, string what, Exception ex);
}
