using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Persistence;

/// <summary>
/// The portal's database: desired state and observations. Migrations live in the top-level migrations/ project:
/// <c>dotnet ef migrations add &lt;Name&gt; --project migrations --startup-project src/MeshPortal.Web</c>.
/// </summary>
public sealed class MeshPortalDbContext(DbContextOptions<MeshPortalDbContext> options)
    : IdentityDbContext<PortalUser>(options)
{
    public DbSet<ClusterEntity> Clusters => Set<ClusterEntity>();
    public DbSet<ClusterCheckRunEntity> ClusterCheckRuns => Set<ClusterCheckRunEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

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

        // SQLite cannot order or compare DateTimeOffset; store UTC ticks (also fine for PostgreSQL later).
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
}
