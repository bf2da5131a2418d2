namespace MeshPortal.Core.Probes;

/// <summary>One thing a consumer cluster probes: an exported host and port, served by <see cref="TargetClusterId"/>.</summary>
public sealed record ProbeTarget(int ExportId, int TargetClusterId, string Host, int Port, string? Namespace = null, string? Service = null)
{
    public string Key => $"{Host}:{Port}";
}
