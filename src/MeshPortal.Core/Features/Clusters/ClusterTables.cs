using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class ClusterTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<ClusterEntity> Clusters => db.Set<ClusterEntity>();
        public DbSet<ClusterCheckRunEntity> ClusterCheckRuns => db.Set<ClusterCheckRunEntity>();
    }
}
