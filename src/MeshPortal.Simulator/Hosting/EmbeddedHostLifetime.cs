using Microsoft.Extensions.Hosting;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// The simulator's host never listens to Ctrl+C or SIGTERM itself: whoever embeds it (tests, the portal, the CLI)
/// owns the process lifetime and disposes the <see cref="SimulatedMesh"/>.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
