using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Core.Features.Probes;

/// <summary>One thing a consumer cluster probes: an exported host and port, served by <see cref="TargetClusterId"/>.</summary>
/// <param name="Move">the export's move to multi-primary: while it is under way both names are probed.</param>
public sealed record ProbeTarget(int ExportId, int TargetClusterId, string Host, int Port, string? Namespace = null, string? Service = null,
    ExportMovePhase Move = ExportMovePhase.None)
{
    public string Key => $"{Host}:{Port}";
}
