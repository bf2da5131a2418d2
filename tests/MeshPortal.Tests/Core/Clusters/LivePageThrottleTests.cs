using MeshPortal.Web.Components.Shared;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public sealed class LivePageThrottleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_first_change_and_one_after_a_quiet_second_reload_at_once()
    {
        Assert.Equal(TimeSpan.Zero, LivePage.WaitBeforeReload(5_000, long.MinValue, Window));
        Assert.Equal(TimeSpan.Zero, LivePage.WaitBeforeReload(5_000, 4_000, Window));
        Assert.Equal(TimeSpan.Zero, LivePage.WaitBeforeReload(5_000, 1_000, Window));
    }

    [Fact]
    public void A_change_within_a_second_of_a_reload_waits_for_the_rest_of_that_second()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(700), LivePage.WaitBeforeReload(5_300, 5_000, Window));
        Assert.Equal(TimeSpan.FromMilliseconds(1), LivePage.WaitBeforeReload(5_999, 5_000, Window));
        Assert.Equal(Window, LivePage.WaitBeforeReload(5_000, 5_000, Window));
    }
}
