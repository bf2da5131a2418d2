using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Teams;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class TeamTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<TeamEntity> Teams => db.Set<TeamEntity>();
        public DbSet<TeamMemberEntity> TeamMembers => db.Set<TeamMemberEntity>();
        public DbSet<TeamGrantEntity> TeamGrants => db.Set<TeamGrantEntity>();
    }
}
