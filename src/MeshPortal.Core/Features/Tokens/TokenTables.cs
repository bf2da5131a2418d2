using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class TokenTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<ApiTokenEntity> ApiTokens => db.Set<ApiTokenEntity>();
        public DbSet<ScreenTokenEntity> ScreenTokens => db.Set<ScreenTokenEntity>();
    }
}
