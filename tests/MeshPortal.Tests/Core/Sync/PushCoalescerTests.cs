using MeshPortal.Core.Features.Sync;
using MeshPortal.Tests.Support;

namespace MeshPortal.Tests.Core.Sync;

[Trait("Speed", "Fast")]
public sealed class PushCoalescerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Quick_changes_queue_one_push_per_cluster_until_it_starts()
    {
        var coalescer = new PushCoalescer(new TestClock(Start), new MemoryPushMarks());

        Assert.Equal([1], coalescer.TryQueue([1]));
        Assert.Empty(coalescer.TryQueue([1]));
        Assert.Empty(coalescer.TryQueue([1, 1]));
        Assert.Equal([2, 3], coalescer.TryQueue([1, 2, 3, 2])); // other clusters are independent, each once
    }

    [Fact]
    public async Task A_change_saved_after_the_push_started_gets_its_own_push()
    {
        var coalescer = new PushCoalescer(new TestClock(Start), new MemoryPushMarks());
        Assert.Equal([1], coalescer.TryQueue([1]));

        await coalescer.StartedAsync(1, CancellationToken.None);

        Assert.Equal([1], coalescer.TryQueue([1]));
    }

    [Fact]
    public void A_queued_push_that_never_started_stops_holding_requests_back()
    {
        var clock = new TestClock(Start);
        var coalescer = new PushCoalescer(clock, new MemoryPushMarks());
        Assert.Equal([1], coalescer.TryQueue([1]));

        clock.Now += PushCoalescer.StaleAfter - TimeSpan.FromSeconds(1);
        Assert.Empty(coalescer.TryQueue([1]));
        clock.Now += TimeSpan.FromSeconds(1);

        Assert.Equal([1], coalescer.TryQueue([1]));
        Assert.Empty(coalescer.TryQueue([1]));
    }

    [Fact]
    public async Task Of_many_callers_marking_one_cluster_at_once_exactly_one_enqueues()
    {
        var marks = new MemoryPushMarks();
        var coalescer = new PushCoalescer(new TestClock(Start), marks);
        using var go = new ManualResetEventSlim();
        var won = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            go.Wait();
            return coalescer.TryQueue([7]).Count;
        })).Append(Task.Run(() =>
        {
            go.Set();
            return 0;
        })));

        Assert.Equal(1, won.Sum());
    }
}
