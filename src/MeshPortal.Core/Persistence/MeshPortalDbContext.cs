using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Persistence;

/// <summary>
/// The portal's database: desired state and observations (and, on PostgreSQL, the Data Protection key ring). Migrations
/// live side by side in the top-level migrations/ folder, one project per provider (see README "Changing the data model").
/// </summary>
public sealed class MeshPortalDbContext(DbContextOptions<MeshPortalDbContext> options)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring when several replicas share PostgreSQL (SQLite keeps its key ring in files).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ClusterEntity> Clusters => Set<ClusterEntity>();
    public DbSet<ClusterCheckRunEntity> ClusterCheckRuns => Set<ClusterCheckRunEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();
    public DbSet<MeshRootEntity> MeshRoots => Set<MeshRootEntity>();
    public DbSet<ClusterIntermediateEntity> ClusterIntermediates => Set<ClusterIntermediateEntity>();
    public DbSet<TrustTransitionEntity> TrustTransitions => Set<TrustTransitionEntity>();
    public DbSet<ExportEntity> Exports => Set<ExportEntity>();
    public DbSet<ExportPortEntity> ExportPorts => Set<ExportPortEntity>();
    public DbSet<ExportConsumerEntity> ExportConsumers => Set<ExportConsumerEntity>();
    public DbSet<ExportSourceEntity> ExportSources => Set<ExportSourceEntity>();
    public DbSet<ManagedObjectEntity> ManagedObjects => Set<ManagedObjectEntity>();
    public DbSet<SyncRunEntity> SyncRuns => Set<SyncRunEntity>();
    public DbSet<ProbeResultEntity> ProbeResults => Set<ProbeResultEntity>();
    public DbSet<ProbeHistoryEntity> ProbeHistory => Set<ProbeHistoryEntity>();
    public DbSet<ProbeRollupEntity> ProbeRollups => Set<ProbeRollupEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();
    public DbSet<ScreenTokenEntity> ScreenTokens => Set<ScreenTokenEntity>();
    public DbSet<TeamEntity> Teams => Set<TeamEntity>();
    public DbSet<TeamMemberEntity> TeamMembers => Set<TeamMemberEntity>();
    public DbSet<TeamGrantEntity> TeamGrants => Set<TeamGrantEntity>();
    public DbSet<MeshSettingsEntity> MeshSettings => Set<MeshSettingsEntity>();
    public DbSet<AlertEntity> Alerts => Set<AlertEntity>();
    public DbSet<AlertSilenceEntity> AlertSilences => Set<AlertSilenceEntity>();
    public DbSet<AlertChannelEntity> AlertChannels => Set<AlertChannelEntity>();
    public DbSet<AlertNotificationEntity> AlertNotifications => Set<AlertNotificationEntity>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<ClusterEntity>(e =>
        {
            e.ToTable("Clusters");
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Name).HasMaxLength(63);
            e.Property(c => c.Context).HasMaxLength(253);
            e.Property(c => c.Server).HasMaxLength(2048);
            e.Property(c => c.Network).HasMaxLength(63);
            e.Property(c => c.Region).HasMaxLength(63);
            e.Property(c => c.ProbeNamespace).HasMaxLength(63);
            e.Property(c => c.ProbeLabelSelector).HasMaxLength(253);
            e.Property(c => c.PeerApiServer).HasMaxLength(2048);
            e.Property(c => c.RemoteSyncProblem).HasMaxLength(4000);
            e.HasMany(c => c.CheckRuns).WithOne(r => r.Cluster!).HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ClusterCheckRunEntity>(e =>
        {
            e.ToTable("ClusterCheckRuns");
            e.HasIndex(r => new { r.ClusterId, r.StartedAt });
        });

        builder.Entity<ApiTokenEntity>(e =>
        {
            e.ToTable("ApiTokens");
            e.HasIndex(t => t.Hash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ScreenTokenEntity>(e =>
        {
            e.ToTable("ScreenTokens");
            e.HasIndex(t => t.Hash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.CreatedBy).HasMaxLength(256);
        });

        ConfigureTrust(builder);
        ConfigureExports(builder);
        ConfigureSync(builder);
        ConfigureProbes(builder);
        ConfigureTeams(builder);
        ConfigureAlerts(builder);

        builder.Entity<AuditEntryEntity>(e =>
        {
            e.ToTable("AuditEntries");
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.TargetKind, a.At });
            e.HasIndex(a => new { a.Actor, a.At });
            e.Property(a => a.Actor).HasMaxLength(256);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.TargetKind).HasMaxLength(32);
            e.Property(a => a.Outcome).HasMaxLength(16);
        });

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks (bigint on PostgreSQL: the same model and queries on both).
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.ClrType == typeof(DateTimeOffset))
                {
                    property.SetValueConverter(DateTimeOffsetTicksConverter.Instance);
                }
                else if (property.ClrType == typeof(DateTimeOffset?))
                {
                    property.SetValueConverter(DateTimeOffsetTicksConverter.Nullable);
                }
            }
        }
    }

    private static void ConfigureTrust(ModelBuilder builder)
    {
        builder.Entity<MeshRootEntity>(e =>
        {
            e.ToTable("MeshRoots");
            e.Property(r => r.Mode).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.KeyType).HasMaxLength(20);
            e.HasIndex(r => r.FingerprintSha256).IsUnique();
        });

        builder.Entity<ClusterIntermediateEntity>(e =>
        {
            e.ToTable("ClusterIntermediates");
            e.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
            e.Property(i => i.KeyType).HasMaxLength(20);
            e.HasOne(i => i.Cluster).WithMany().HasForeignKey(i => i.ClusterId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(i => i.Root).WithMany().HasForeignKey(i => i.RootId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(i => new { i.ClusterId, i.State });
        });

        builder.Entity<TrustTransitionEntity>(e =>
        {
            e.ToTable("TrustTransitions");
            e.Property(t => t.Phase).HasConversion<string>().HasMaxLength(20);
            e.Property(t => t.AdvancedBy).HasMaxLength(200);
            e.HasOne(t => t.Cluster).WithMany().HasForeignKey(t => t.ClusterId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(t => t.ClusterId).IsUnique();
        });

        builder.Entity<ClusterEntity>().Property(c => c.CacertsDecision).HasConversion<string>().HasMaxLength(20);
    }

    private static void ConfigureExports(ModelBuilder builder)
    {
        builder.Entity<ExportEntity>(e =>
        {
            e.ToTable("Exports");
            e.Property(x => x.Namespace).HasMaxLength(63);
            e.Property(x => x.Service).HasMaxLength(63);
            e.Property(x => x.Host).HasMaxLength(253);
            e.Property(x => x.Address).HasMaxLength(45);
            e.Property(x => x.MovePhase).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.MoveNote).HasMaxLength(2000);
            e.HasIndex(x => x.Host).IsUnique();
            e.HasIndex(x => x.Address).IsUnique();
            e.HasIndex(x => new { x.ClusterId, x.Namespace, x.Service }).IsUnique();
            e.HasOne(x => x.Cluster).WithMany().HasForeignKey(x => x.ClusterId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Ports).WithOne().HasForeignKey(p => p.ExportId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Consumers).WithOne().HasForeignKey(c => c.ExportId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ExportPortEntity>(e =>
        {
            e.ToTable("ExportPorts");
            e.Property(p => p.Name).HasMaxLength(63);
            e.Property(p => p.Protocol).HasMaxLength(20);
            e.HasIndex(p => new { p.ExportId, p.Number }).IsUnique();
        });

        builder.Entity<ExportConsumerEntity>(e =>
        {
            e.ToTable("ExportConsumers");
            e.HasKey(c => new { c.ExportId, c.ClusterId });
            e.HasOne(c => c.Cluster).WithMany().HasForeignKey(c => c.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ExportSourceEntity>(e =>
        {
            e.ToTable("ExportSources");
            e.HasKey(s => new { s.ExportId, s.ClusterId });
            e.HasOne<ExportEntity>().WithMany().HasForeignKey(s => s.ExportId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<ClusterEntity>().WithMany().HasForeignKey(s => s.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void ConfigureSync(ModelBuilder builder)
    {
        builder.Entity<ManagedObjectEntity>(e =>
        {
            e.ToTable("ManagedObjects");
            e.Property(m => m.State).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.ApiVersion).HasMaxLength(100);
            e.Property(m => m.Kind).HasMaxLength(63);
            e.Property(m => m.Namespace).HasMaxLength(63);
            e.Property(m => m.Name).HasMaxLength(253);
            e.Property(m => m.Source).HasMaxLength(100);
            e.HasIndex(m => new { m.ClusterId, m.Kind, m.Namespace, m.Name }).IsUnique();
            e.HasIndex(m => m.Source);
            e.HasOne(m => m.Cluster).WithMany().HasForeignKey(m => m.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<SyncRunEntity>(e =>
        {
            e.ToTable("SyncRuns");
            e.Property(r => r.StateDigest).HasMaxLength(64);
            e.HasIndex(r => new { r.ClusterId, r.StartedAt });
            e.HasOne(r => r.Cluster).WithMany().HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void ConfigureTeams(ModelBuilder builder)
    {
        builder.Entity<TeamEntity>(e =>
        {
            e.ToTable("Teams");
            e.Property(t => t.Name).HasMaxLength(63);
            e.Property(t => t.Description).HasMaxLength(500);
            e.HasIndex(t => t.Name).IsUnique();
            e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(t => t.Grants).WithOne().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TeamMemberEntity>(e =>
        {
            e.ToTable("TeamMembers");
            e.HasKey(m => new { m.TeamId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TeamGrantEntity>(e =>
        {
            e.ToTable("TeamGrants");
            e.Property(g => g.Cluster).HasMaxLength(63);
            e.Property(g => g.Namespace).HasMaxLength(63);
            e.HasIndex(g => new { g.TeamId, g.Cluster, g.Namespace }).IsUnique();
        });

        builder.Entity<ExportEntity>(e =>
        {
            e.Property(x => x.CreatedByUserId).HasMaxLength(450);
            e.HasOne(x => x.OwnerTeam).WithMany().HasForeignKey(x => x.OwnerTeamId).OnDelete(DeleteBehavior.SetNull);
        });
    }

    private static void ConfigureAlerts(ModelBuilder builder)
    {
        builder.Entity<AlertEntity>(e =>
        {
            e.ToTable("Alerts");
            e.Property(a => a.Key).HasMaxLength(300);
            e.Property(a => a.Rule).HasMaxLength(64);
            e.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(a => a.Summary).HasMaxLength(500);
            e.Property(a => a.Cause).HasMaxLength(2000);
            e.Property(a => a.Hint).HasMaxLength(1000);
            e.Property(a => a.Link).HasMaxLength(500);
            e.Property(a => a.LabelsJson).HasMaxLength(2000);
            e.Property(a => a.Teams).HasMaxLength(1000);
            e.HasIndex(a => new { a.Status, a.Key });
            e.HasIndex(a => a.ResolvedAt);
        });

        builder.Entity<AlertSilenceEntity>(e =>
        {
            e.ToTable("AlertSilences");
            e.Property(s => s.Rule).HasMaxLength(64);
            e.Property(s => s.Cluster).HasMaxLength(63);
            e.Property(s => s.Namespace).HasMaxLength(63);
            e.Property(s => s.Service).HasMaxLength(63);
            e.Property(s => s.Team).HasMaxLength(63);
            e.Property(s => s.Reason).HasMaxLength(500);
            e.Property(s => s.CreatedBy).HasMaxLength(256);
            e.Property(s => s.EndedBy).HasMaxLength(256);
            e.HasIndex(s => s.EndsAt);
        });

        builder.Entity<AlertChannelEntity>(e =>
        {
            e.ToTable("AlertChannels");
            e.Property(c => c.Name).HasMaxLength(63);
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(c => c.MinSeverity).HasConversion<string>().HasMaxLength(16);
            e.Property(c => c.UrlDisplay).HasMaxLength(300);
            e.Property(c => c.Team).HasMaxLength(63);
        });

        builder.Entity<AlertNotificationEntity>(e =>
        {
            e.ToTable("AlertNotifications");
            e.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
            e.Property(n => n.LastError).HasMaxLength(1000);
            e.HasIndex(n => new { n.ChannelId, n.Id });
            e.HasIndex(n => new { n.DeliveredAt, n.GaveUpAt });
            e.HasOne(n => n.Channel).WithMany().HasForeignKey(n => n.ChannelId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private static void ConfigureProbes(ModelBuilder builder)
    {
        builder.Entity<ProbeResultEntity>(e =>
        {
            e.ToTable("ProbeResults");
            e.Property(r => r.Host).HasMaxLength(253);
            e.Property(r => r.Status).HasMaxLength(20);
            e.Property(r => r.Message).HasMaxLength(1000);
            e.Property(r => r.Hint).HasMaxLength(1000);
            e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port }).IsUnique();
            e.HasIndex(r => r.TargetClusterId);
            e.HasOne(r => r.SourceCluster).WithMany().HasForeignKey(r => r.SourceClusterId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ProbeHistoryEntity>(e =>
        {
            e.ToTable("ProbeHistory");
            e.Property(r => r.Host).HasMaxLength(253);
            e.Property(r => r.Status).HasMaxLength(20);
            e.HasIndex(r => r.ObservedAt);
            e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port, r.ObservedAt });
        });

        builder.Entity<ProbeRollupEntity>(e =>
        {
            e.ToTable("ProbeRollups");
            e.Property(r => r.Host).HasMaxLength(253);
            e.Property(r => r.WorstStatus).HasMaxLength(20);
            e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port, r.HourStart }).IsUnique();
            e.HasIndex(r => r.HourStart);
        });

        builder.Entity<MeshSettingsEntity>(e =>
        {
            e.ToTable("MeshSettings");
            e.Property(s => s.Id).ValueGeneratedNever();
            e.Property(s => s.UpdatedBy).HasMaxLength(256);
        });
    }
}
