using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class ExportTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<ExportEntity> Exports => db.Set<ExportEntity>();
        public DbSet<ExportPortEntity> ExportPorts => db.Set<ExportPortEntity>();
        public DbSet<ExportConsumerEntity> ExportConsumers => db.Set<ExportConsumerEntity>();
        public DbSet<ExportSourceEntity> ExportSources => db.Set<ExportSourceEntity>();
    }
}
