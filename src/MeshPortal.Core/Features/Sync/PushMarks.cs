using System.Collections.Concurrent;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Where <see cref="PushCoalescer"/> keeps its "a push of this cluster is queued and has not started" marks: in this process
/// (<see cref="MemoryPushMarks"/>, SQLite, which serves one process) or in the database (<see cref="PostgresPushMarks"/>),
/// where every replica sees the marks of the others, so a push queued by one replica and started by another releases its
/// cluster for both.
/// </summary>
public interface IPushMarks
{
    /// <summary>
    /// Marks each of <paramref name="clusterIds"/> that has no mark, or one set at or before <paramref name="staleBefore"/>, as queued
    /// at <paramref name="now"/>, and returns those (atomically: of two callers marking the same cluster, one gets it).
    /// Synchronous, as Hangfire's enqueue that follows it.
    /// </summary>
    IReadOnlyList<int> Mark(IReadOnlyList<int> clusterIds, DateTimeOffset now, DateTimeOffset staleBefore);

    /// <summary>Removes the cluster's mark: its queued push is starting.</summary>
    Task ClearAsync(int clusterId, CancellationToken ct);
}

/// <summary>The marks of one process.</summary>
public sealed class MemoryPushMarks : IPushMarks
{
    private readonly ConcurrentDictionary<int, DateTimeOffset> queued = new();

    public IReadOnlyList<int> Mark(IReadOnlyList<int> clusterIds, DateTimeOffset now, DateTimeOffset staleBefore)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        return [.. clusterIds.Where(id => TryMark(id, now, staleBefore))];
    }

    public Task ClearAsync(int clusterId, CancellationToken ct)
    {
        queued.TryRemove(clusterId, out _);
        return Task.CompletedTask;
    }

    private bool TryMark(int clusterId, DateTimeOffset now, DateTimeOffset staleBefore)
    {
        while (true)
        {
            if (queued.TryAdd(clusterId, now))
            {
                return true;
            }

            if (!queued.TryGetValue(clusterId, out var since))
            {
                continue; // cleared meanwhile: try again
            }

            if (since > staleBefore)
            {
                return false;
            }

            if (queued.TryUpdate(clusterId, now, since))
            {
                return true;
            }
        }
    }
}

/// <summary>
/// The marks of every replica, one row per cluster in <c>PushMarks</c>. Marking reads first: a cluster with a fresh mark is
/// left alone without a write, which during a burst is nearly every call (a push is queued), and saves the commit and WAL
/// flush the upsert costs even when its update does nothing (its row lock is a write). The clusters left are marked by one
/// statement: an insert whose conflict (marked meanwhile) updates only a stale mark, and <c>RETURNING</c> yields exactly the
/// rows inserted or updated; two replicas marking the same cluster at once serialize on its row, so one of them gets it.
/// Clearing deletes the row and commits before the push loads the desired state. The caller's change is committed before it
/// marks, so a fresh mark found by either statement belongs to a push that has not loaded yet: the change is in that push.
/// </summary>
public sealed class PostgresPushMarks(IDbContextFactory<MeshPortalDbContext> dbFactory) : IPushMarks
{
    public IReadOnlyList<int> Mark(IReadOnlyList<int> clusterIds, DateTimeOffset now, DateTimeOffset staleBefore)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        if (clusterIds.Count == 0)
        {
            return [];
        }

        var (at, stale) = (now.UtcTicks, staleBefore.UtcTicks);
        using var db = dbFactory.CreateDbContext();
        var requested = clusterIds.Distinct().ToArray();
        var queued = db.Database.SqlQuery<int>($"""
            SELECT "ClusterId" AS "Value" FROM "PushMarks" WHERE "ClusterId" = ANY({requested}) AND "QueuedAt" > {stale}
            """).ToHashSet();

        // Ascending ids: two callers marking overlapping sets take the rows' locks in the same order (no deadlock).
        var ids = requested.Where(id => !queued.Contains(id)).Order().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        return db.Database.SqlQuery<int>($"""
            INSERT INTO "PushMarks" ("ClusterId", "QueuedAt") SELECT id, {at} FROM unnest({ids}) AS id ORDER BY id
            ON CONFLICT ("ClusterId") DO UPDATE SET "QueuedAt" = excluded."QueuedAt" WHERE "PushMarks"."QueuedAt" <= {stale}
            RETURNING "ClusterId" AS "Value"
            """).ToList();
    }

    public async Task ClearAsync(int clusterId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "PushMarks" WHERE "ClusterId" = {clusterId}""", ct);
    }
}

/// <summary>A queued push's mark (<see cref="PostgresPushMarks"/>; on SQLite the table stays empty). No foreign key: a mark
/// outlives nothing it could break, and a change saved while its cluster is deleted must not fail on it.</summary>
public sealed class PushMarkEntity
{
    public int ClusterId { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
}

internal sealed class PushMarkConfiguration : IEntityTypeConfiguration<PushMarkEntity>
{
    public void Configure(EntityTypeBuilder<PushMarkEntity> e)
    {
        e.ToTable("PushMarks");
        e.HasKey(m => m.ClusterId);
        e.Property(m => m.ClusterId).ValueGeneratedNever();
    }
}
