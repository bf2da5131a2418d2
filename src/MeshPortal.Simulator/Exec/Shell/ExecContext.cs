using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Exec.Shell;

/// <summary>Where a command runs: the pod, its cluster, the whole mesh, and the session's stdin and clock.</summary>
internal sealed class ExecContext
{
    public required SimulatedMesh Mesh { get; init; }

    public required SimulatedCluster Cluster { get; init; }

    public required JsonObject Pod { get; init; }

    public required string Container { get; init; }

    public bool Tty { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads stdin to its end (v5 close frame, v4 EOT byte, or socket close). Empty when stdin is not attached.</summary>
    public Func<CancellationToken, Task<string>> ReadStdinAsync { get; init; } = _ => Task.FromResult("");

    /// <summary>Waits simulated network time. Only called with a positive duration.</summary>
    public Func<TimeSpan, CancellationToken, Task> DelayAsync { get; init; } = Task.Delay;
}
