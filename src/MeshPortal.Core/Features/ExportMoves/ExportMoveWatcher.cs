using MeshPortal.Core.Platform.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.ExportMoves;

/// <summary>
/// Drives moves to multi-primary: after every stored probe cycle (and once at start, so a move survives a restart) it lets
/// <see cref="ExportMoveService.ObserveAsync"/> look at the new names' latest results. Runs are serialised and coalesced: while one
/// runs, any number of cycles queue one more.
/// </summary>
public sealed partial class ExportMoveWatcher(ProbeEvents events, IServiceScopeFactory scopes, ILogger<ExportMoveWatcher> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private int queued;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.Changed += OnStored;
        Kick();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.Changed -= OnStored;
        stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        stopping.Dispose();
        gate.Dispose();
    }

    private void OnStored(string cluster) => Kick();

    private void Kick()
    {
        if (Interlocked.CompareExchange(ref queued, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        try
        {
            await gate.WaitAsync(stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        Interlocked.Exchange(ref queued, 0);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ExportMoveService>().ObserveAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the moves to multi-primary failed; the next probe cycle tries again")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
