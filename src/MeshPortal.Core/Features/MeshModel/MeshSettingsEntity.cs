using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>Mesh-wide settings changed from the UI or API (one row, <see cref="SingletonId"/>).</summary>
public sealed class MeshSettingsEntity
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>MeshPortal deploys a tiny httpbin-like canary in every cluster and exports it to all others.</summary>
    public bool CanaryEnabled { get; set; }

    /// <summary>
    /// Only exported services leave their cluster: MeshPortal manages mesh config <c>serviceSettings</c> in every multi-primary
    /// cluster without MCS discovery (cluster-local by default, the exported hosts listed).
    /// </summary>
    public bool ClusterLocalByDefault { get; set; }

    /// <summary>The setting was on at some time: pushes keep reading the mesh configs, to remove what MeshPortal wrote (never on: no read at all).</summary>
    public bool ServiceScopeUsed { get; set; }

    public string? UpdatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class MeshSettingsConfiguration : IEntityTypeConfiguration<MeshSettingsEntity>
{
    public void Configure(EntityTypeBuilder<MeshSettingsEntity> e)
    {
        e.ToTable("MeshSettings");
        e.Property(s => s.Id).ValueGeneratedNever();
        e.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}
