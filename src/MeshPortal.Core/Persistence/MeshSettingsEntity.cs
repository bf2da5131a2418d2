namespace MeshPortal.Core.Persistence;

/// <summary>Mesh-wide settings changed from the UI or API (one row, <see cref="SingletonId"/>).</summary>
public sealed class MeshSettingsEntity
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>MeshPortal deploys a tiny httpbin-like canary in every cluster and exports it to all others.</summary>
    public bool CanaryEnabled { get; set; }

    public string? UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
