using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class ProbeTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<ProbeResultEntity> ProbeResults => db.Set<ProbeResultEntity>();
        public DbSet<ProbeHistoryEntity> ProbeHistory => db.Set<ProbeHistoryEntity>();
        public DbSet<ProbeRollupEntity> ProbeRollups => db.Set<ProbeRollupEntity>();
    }
}
