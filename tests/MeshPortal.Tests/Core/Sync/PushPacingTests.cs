using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Sync;

/// <summary>A change-triggered push waits out its previous push's duration (capped), so a burst is not pushed back to back.</summary>
[Trait("Speed", "Fast")]
public sealed class PushPacingTests
{
    [Theory]
    [InlineData(0, 800, 800)] // right after an 0.8 s push: wait 0.8 s
    [InlineData(300, 800, 500)] // part of it has passed
    [InlineData(800, 800, 0)] // a quiet spell as long as the push: at once
    [InlineData(60_000, 800, 0)]
    [InlineData(0, 9_000, 2_000)] // a long push: at most MaxWait
    [InlineData(1_500, 9_000, 500)]
    [InlineData(0, 0, 0)]
    public void Waits_the_previous_push_duration_after_it_finished_at_most_MaxWait(int sinceMs, int tookMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), PushPacing.Wait(TimeSpan.FromMilliseconds(sinceMs), TimeSpan.FromMilliseconds(tookMs)));

    [Fact]
    public async Task A_cluster_never_pushed_here_or_pushed_long_ago_starts_at_once_and_one_just_pushed_waits()
    {
        var coalescer = new PushCoalescer(TimeProvider.System, new MemoryPushMarks());
        // No wait means no await at all: the task is complete when PaceAsync returns (no wall-clock bound to flake under load).
        Assert.True(coalescer.PaceAsync(1, CancellationToken.None).IsCompletedSuccessfully, "a cluster never pushed here waited");
        coalescer.Finished(2, TimeSpan.Zero);
        Assert.True(coalescer.PaceAsync(2, CancellationToken.None).IsCompletedSuccessfully, "a push that took no time made the next one wait");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        coalescer.Finished(3, TimeSpan.FromMilliseconds(400));
        await coalescer.PaceAsync(3, CancellationToken.None);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"started {watch.Elapsed} after a 0.4 s push finished");
    }
}
