using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>
/// The portal's database: desired state and observations (and, on PostgreSQL, the Data Protection key ring). Migrations
/// live side by side in the top-level migrations/ folder, one project per provider (see README "Changing the data model").
/// </summary>
public sealed class MeshPortalDbContext(DbContextOptions<MeshPortalDbContext> options)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring when several replicas share PostgreSQL (SQLite keeps its key ring in files).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // One IEntityTypeConfiguration per entity, next to the entity in the feature that owns it.
        builder.ApplyConfigurationsFromAssembly(typeof(MeshPortalDbContext).Assembly);

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
}
