using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Trust;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class TrustTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<MeshRootEntity> MeshRoots => db.Set<MeshRootEntity>();
        public DbSet<ClusterIntermediateEntity> ClusterIntermediates => db.Set<ClusterIntermediateEntity>();
        public DbSet<TrustTransitionEntity> TrustTransitions => db.Set<TrustTransitionEntity>();
    }
}
