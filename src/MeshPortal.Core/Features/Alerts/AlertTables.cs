using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>The tables this feature owns, as properties of the portal's <see cref="MeshPortalDbContext"/>. Inside a LINQ
/// expression use <c>db.Set&lt;T&gt;()</c> instead: C# does not allow extension properties in expression trees.</summary>
public static class AlertTables
{
    extension(MeshPortalDbContext db)
    {
        public DbSet<AlertEntity> Alerts => db.Set<AlertEntity>();
        public DbSet<AlertSilenceEntity> AlertSilences => db.Set<AlertSilenceEntity>();
        public DbSet<AlertChannelEntity> AlertChannels => db.Set<AlertChannelEntity>();
        public DbSet<AlertNotificationEntity> AlertNotifications => db.Set<AlertNotificationEntity>();
    }
}
