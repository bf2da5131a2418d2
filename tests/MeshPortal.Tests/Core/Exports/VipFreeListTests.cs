using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>The allocator's in-memory belief about a range: lowest free first, reservations apart, and what makes it stale.</summary>
[Trait("Speed", "Fast")]
public sealed class VipFreeListTests
{
    private static readonly VipRange Range = VipRange.Parse("240.0.7.0/29"); // six usable: .1 to .6

    [Fact]
    public void Reserves_the_lowest_address_neither_taken_nor_reserved()
    {
        var free = new VipFreeList(Range);
        free.Reset([(1, "240.0.7.1"), (2, "240.0.7.3")]);

        var first = free.Reserve();
        var second = free.Reserve();

        Assert.Equal(["240.0.7.2", "240.0.7.4"], new[] { first, second }.Select(a => VipRange.Format(a!.Value)));
        Assert.Equal(2, free.Reserved);
        Assert.Equal("240.0.7.5", VipRange.Format(free.LowestFree()!.Value));
        Assert.Equal(2, free.Reserved); // LowestFree only looks
    }

    [Fact]
    public void A_saved_insert_becomes_taken_and_a_failed_one_frees_its_address()
    {
        var free = new VipFreeList(Range);
        free.Reset([]);
        var saved = free.Reserve()!.Value;
        var failed = free.Reserve()!.Value;

        free.Release(saved, 7);
        free.Release(failed, null);

        Assert.Equal((1, 7, 0), (free.Known, free.MaxId, free.Reserved));
        Assert.Equal(failed, free.Reserve());
    }

    [Fact]
    public void Rows_read_again_or_moved_replace_what_was_known_and_count_once()
    {
        var free = new VipFreeList(Range);
        free.Reset([(1, "240.0.7.1"), (2, "240.0.7.2")]);

        free.Add([(2, "240.0.7.2"), (3, "240.0.7.5"), (1, "240.0.7.6")]);

        Assert.Equal((3, 3), (free.Known, free.MaxId));
        Assert.Equal("240.0.7.1", VipRange.Format(free.LowestFree()!.Value));
    }

    [Fact]
    public void A_reset_forgets_deleted_exports_but_keeps_the_reservations_of_running_inserts()
    {
        var free = new VipFreeList(Range);
        free.Reset([(1, "240.0.7.1"), (2, "240.0.7.2")]);
        var running = free.Reserve()!.Value; // .3

        free.Invalidate();
        Assert.False(free.Loaded);
        free.Reset([(2, "240.0.7.2")]);

        Assert.True(free.Loaded);
        Assert.Equal("240.0.7.3", VipRange.Format(running));
        Assert.Equal(["240.0.7.1", "240.0.7.4"], new[] { free.Reserve(), free.Reserve() }.Select(a => VipRange.Format(a!.Value)));
    }

    [Fact]
    public void A_reset_from_a_read_that_began_before_an_insert_finished_keeps_that_inserts_address()
    {
        var free = new VipFreeList(Range);
        free.Reset([(1, "240.0.7.1")]);
        var running = free.Reserve()!.Value; // .2, its insert saves it as export 2 ...
        free.Release(running, 2);

        free.Reset([(1, "240.0.7.1")]); // ... after another caller's read of every address had begun

        Assert.Equal((2, 2), (free.Known, free.MaxId));
        Assert.Equal("240.0.7.3", VipRange.Format(free.Reserve()!.Value));
    }

    [Fact]
    public void A_full_range_has_no_address_and_addresses_outside_it_do_not_count()
    {
        var free = new VipFreeList(Range);
        free.Reset([.. Enumerable.Range(1, 5).Select(i => (i, $"240.0.7.{i}")), (6, "10.0.0.1"), (7, "not an address")]);

        Assert.Equal("240.0.7.6", VipRange.Format(free.Reserve()!.Value));
        Assert.Null(free.Reserve());
        Assert.Null(free.LowestFree());
        Assert.Equal((7, 7), (free.Known, free.MaxId));
    }

    [Fact]
    public void With_a_spread_it_reserves_the_picked_one_of_the_lowest_free_addresses()
    {
        var free = new VipFreeList(Range);
        free.Reset([(1, "240.0.7.1"), (2, "240.0.7.3")]);
        var offered = new List<int>();

        var third = free.Reserve(3, count => { offered.Add(count); return 2; }); // of .2 .4 .5
        var lowest = free.Reserve(3, _ => 0);                                       // of .2 .4 .6
        var last = free.Reserve(64, count => { offered.Add(count); return count - 1; }); // of .4 .6: fewer than asked

        Assert.Equal(["240.0.7.5", "240.0.7.2", "240.0.7.6"], new[] { third, lowest, last }.Select(a => VipRange.Format(a!.Value)));
        Assert.Equal([3, 2], offered);
        Assert.Equal("240.0.7.4", VipRange.Format(free.Reserve(64, _ => 0)!.Value));
        Assert.Null(free.Reserve(64, _ => 0)); // full
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 128)]
    [InlineData(3, 192)]
    public void The_allocator_spreads_its_picks_only_across_replicas(int replicas, int spread) =>
        Assert.Equal(spread, new VipAllocator(
            Microsoft.Extensions.Options.Options.Create(new ExportOptions()),
            Microsoft.Extensions.Options.Options.Create(new MeshPortal.Core.Platform.Configuration.MeshPortalOptions { Replicas = replicas })).Spread);
}
