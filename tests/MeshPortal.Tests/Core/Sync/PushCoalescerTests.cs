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
        var coalescer = new PushCoalescer(new TestClock(Start));

        Assert.True(coalescer.TryQueue(1));
        Assert.False(coalescer.TryQueue(1));
        Assert.False(coalescer.TryQueue(1));
        Assert.True(coalescer.TryQueue(2)); // other clusters are independent
    }

    [Fact]
    public void A_change_saved_after_the_push_started_gets_its_own_push()
    {
        var coalescer = new PushCoalescer(new TestClock(Start));
        Assert.True(coalescer.TryQueue(1));

        coalescer.Started(1);

        Assert.True(coalescer.TryQueue(1));
    }

    [Fact]
    public void A_queued_push_that_never_started_stops_holding_requests_back()
    {
        var clock = new TestClock(Start);
        var coalescer = new PushCoalescer(clock);
        Assert.True(coalescer.TryQueue(1));

        clock.Now += PushCoalescer.StaleAfter;

        Assert.True(coalescer.TryQueue(1));
        Assert.False(coalescer.TryQueue(1));
    }

    [Fact]
    public void Across_replicas_every_request_is_enqueued_because_another_replica_may_start_the_push()
    {
        var coalescer = new PushCoalescer(new TestClock(Start), perProcess: false);
        Assert.True(coalescer.TryQueue(1));
        Assert.True(coalescer.TryQueue(1));
    }
}
