using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class SyncTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<ManagedObjectEntity> ManagedObjects => db.Set<ManagedObjectEntity>();
        public DbSet<SyncRunEntity> SyncRuns => db.Set<SyncRunEntity>();
    }
}
