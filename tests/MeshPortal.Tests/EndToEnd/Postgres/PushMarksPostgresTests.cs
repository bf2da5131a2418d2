using MeshPortal.Core.Features.Sync;
using Microsoft.EntityFrameworkCore;
using MeshPortal.Tests.Support;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>
/// The queued-push marks of two replicas on one real PostgreSQL (the hand-written upsert): a push queued through one replica
/// holds back requests on both, starting it on the other replica releases the cluster for both, and of many replicas marking
/// one cluster at once exactly one enqueues.
/// </summary>
[Collection("postgres")]
[Trait("Provider", "Postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class PushMarksPostgresTests(PostgresServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task A_push_queued_by_one_replica_and_started_by_the_other_is_seen_by_both()
    {
        var factory = await DbFactory.PostgresAsync(server);
        var clock = new TestClock(Start);
        var a = new PushCoalescer(clock, new PostgresPushMarks(factory));
        var b = new PushCoalescer(clock, new PostgresPushMarks(factory));

        Assert.Equal([1, 2], a.TryQueue([2, 1]).Order());
        Assert.Equal([3], b.TryQueue([1, 3, 2]));    // 1 and 2 are queued by replica a
        Assert.Empty(a.TryQueue([3]));

        await b.StartedAsync(1, CancellationToken.None); // replica b runs the push a queued
        clock.Now += TimeSpan.FromSeconds(30);
        Assert.Equal([1], a.TryQueue([1, 2]));

        clock.Now += PushCoalescer.StaleAfter - TimeSpan.FromSeconds(31);
        Assert.Empty(b.TryQueue([1, 2, 3]));
        clock.Now += TimeSpan.FromSeconds(1);           // 2 and 3 were marked a stale while ago, 1 later
        Assert.Equal([2, 3], b.TryQueue([1, 2, 3]).Order());
        Assert.Empty(a.TryQueue([2, 3]));
    }

    [PostgresFact]
    public async Task Of_replicas_marking_overlapping_clusters_at_once_exactly_one_enqueues_each()
    {
        var factory = await DbFactory.PostgresAsync(server);
        var replicas = Enumerable.Range(0, 8).Select(_ => new PushCoalescer(new TestClock(Start), new PostgresPushMarks(factory))).ToList();
        using var go = new ManualResetEventSlim();
        var marking = replicas.Select((r, i) => Task.Run(() =>
        {
            go.Wait();
            // Overlapping sets in different orders (the statement sorts them: no deadlock).
            return r.TryQueue(i % 2 == 0 ? [1, 2, 3, 4] : [4, 3, 2, 1]);
        })).ToList();
        go.Set();
        var won = await Task.WhenAll(marking);

        Assert.Equal([1, 2, 3, 4], won.SelectMany(w => w).Order());
    }

    [PostgresFact]
    public async Task A_cluster_already_marked_is_left_without_a_write()
    {
        var factory = await DbFactory.PostgresAsync(server);
        var clock = new TestClock(Start);
        var marks = new PostgresPushMarks(factory);
        Assert.Equal([1], marks.Mark([1], clock.Now, clock.Now - PushCoalescer.StaleAfter));

        // Row versions: an update or a row lock (what ON CONFLICT DO UPDATE takes even when its WHERE is false) changes them.
        async Task<string> VersionAsync()
        {
            await using var db = factory.CreateDbContext();
            return await db.Database.SqlQuery<string>($"""SELECT xmin::text || '/' || xmax::text AS "Value" FROM "PushMarks" WHERE "ClusterId" = 1""").SingleAsync();
        }

        var before = await VersionAsync();
        clock.Now += TimeSpan.FromSeconds(10);
        Assert.Empty(marks.Mark([1, 1], clock.Now, clock.Now - PushCoalescer.StaleAfter));
        Assert.Equal(before, await VersionAsync());

        // Stale, it is marked again (a write); a cluster marked by no one joins it in the same call.
        clock.Now += PushCoalescer.StaleAfter;
        Assert.Equal([1, 2], marks.Mark([2, 1], clock.Now, clock.Now - PushCoalescer.StaleAfter).Order());
        Assert.NotEqual(before, await VersionAsync());
    }
}
