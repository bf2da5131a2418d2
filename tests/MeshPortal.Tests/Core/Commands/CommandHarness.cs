using Hangfire.InMemory;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.ExportMoves;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>
/// The Core commands from the portal's own registration (<see cref="ServiceHarness"/>) on a migrated SQLite file, with a fixed
/// clock, the pushes asked for recorded, Hangfire's in-memory storage for the probe jobs, and a record of what every SaveChanges
/// wrote (to see that the audit record and the change land in one unit of work).
/// </summary>
internal sealed class CommandHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 11, 0, 0, TimeSpan.Zero);

    private ServiceHarness services = null!;

    public SaveRecorder Saves { get; } = new();
    public RecordingScheduler Pushes => services.Pushes;
    public InMemoryStorage Jobs => services.Jobs;
    public IServiceProvider Services => services.Services;

    public static async Task<CommandHarness> StartAsync()
    {
        var h = new CommandHarness();
        h.services = await ServiceHarness.StartAsync(overrides: s =>
        {
            s.AddSingleton<TimeProvider>(new TestClock(Now));
            s.ConfigureDbContext<MeshPortalDbContext>(o => o.AddInterceptors(h.Saves));
        });
        h.Saves.Clear();
        return h;
    }

    public T Get<T>() where T : notnull => services.Get<T>();

    public Task<MeshPortalDbContext> DbAsync() => services.DbAsync();

    public static Actor Admin(string name = "alice", bool readOnly = false) => new(new AuditContext(name, "id-" + name), true, false, false, readOnly);

    public static Actor Member(string name) => new(new AuditContext(name, "id-" + name), false, true, false, false);

    public static Actor Viewer(string name = "vera") => new(new AuditContext(name, "id-" + name), false, false, true, false);

    public async Task<int> AddClusterAsync(string name)
    {
        await using var db = await DbAsync();
        var cluster = new ClusterEntity { Name = name, Context = name, ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
        db.Clusters.Add(cluster);
        await db.SaveChangesAsync();
        Saves.Clear();
        return cluster.Id;
    }

    /// <summary>A team with one member (user <c>id-&lt;member&gt;</c>) owning one export in (cluster, namespace); returns the export id.</summary>
    public async Task<int> AddTeamExportAsync(int clusterId, string team, string member, string ns)
    {
        await using var db = await DbAsync();
        var user = new PortalUser { Id = "id-" + member, UserName = member, NormalizedUserName = member.ToUpperInvariant() };
        var owner = new TeamEntity { Name = team, CreatedAt = Now };
        db.Users.Add(user);
        db.Teams.Add(owner);
        await db.SaveChangesAsync();
        db.TeamMembers.Add(new TeamMemberEntity { TeamId = owner.Id, UserId = user.Id });
        var export = new ExportEntity
        {
            ClusterId = clusterId, Namespace = ns, Service = "httpbin", Host = $"httpbin.{ns}.global", Address = $"240.0.0.{owner.Id + 1}",
            OwnerTeamId = owner.Id, CreatedAt = Now, UpdatedAt = Now,
        };
        db.Exports.Add(export);
        await db.SaveChangesAsync();
        Saves.Clear();
        return export.Id;
    }

    public async Task<List<AuditEntryEntity>> AuditAsync()
    {
        await using var db = await DbAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    public long EnqueuedJobs => Jobs.GetMonitoringApi().EnqueuedCount("default");

    public ValueTask DisposeAsync() => services.DisposeAsync();

    /// <summary>The entity types each SaveChanges added, changed or deleted, in order.</summary>
    internal sealed class SaveRecorder : SaveChangesInterceptor
    {
        private readonly List<IReadOnlyList<string>> saves = [];

        public IReadOnlyList<IReadOnlyList<string>> All { get { lock (saves) { return [.. saves]; } } }

        public void Clear() { lock (saves) { saves.Clear(); } }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(eventData.Context!.ChangeTracker.Entries());
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Record(eventData.Context!.ChangeTracker.Entries());
            return base.SavingChanges(eventData, result);
        }

        /// <summary>Whether one save wrote an entity of each of these types.</summary>
        public bool OneSaveWrote(params string[] types) => All.Any(s => types.All(s.Contains));

        private void Record(IEnumerable<EntityEntry> entries)
        {
            var written = entries.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).Select(e => e.Entity.GetType().Name).Distinct().ToList();
            lock (saves) { saves.Add(written); }
        }
    }
}
