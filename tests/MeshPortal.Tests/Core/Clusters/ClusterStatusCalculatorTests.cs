using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public sealed class ClusterStatusCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, null, null, 0, ClusterStatus.Unknown)]
    [InlineData(true, true, null, 1, ClusterStatus.Connected)]
    [InlineData(true, true, null, 16, ClusterStatus.Stale)]
    [InlineData(true, false, "api.reachable", 1, ClusterStatus.Unreachable)]
    [InlineData(true, false, "api.tls", 1, ClusterStatus.Unreachable)]
    [InlineData(true, false, "api.auth", 1, ClusterStatus.Unreachable)]
    [InlineData(true, false, "istio.control-plane", 1, ClusterStatus.Degraded)]
    [InlineData(true, false, "dns", 100, ClusterStatus.Degraded)]
    public void From_LastCheck_GivesStatus(bool? checkedAtAll, bool? passed, string? failedStage, int minutesAgo, ClusterStatus expected)
    {
        DateTimeOffset? checkedAt = checkedAtAll == true ? Now.AddMinutes(-minutesAgo) : null;
        Assert.Equal(expected, ClusterStatusCalculator.From(checkedAt, passed, failedStage, Now));
    }

    [Fact]
    public void From_OldFailure_StaysFailedRatherThanStale()
    {
        Assert.Equal(ClusterStatus.Unreachable, ClusterStatusCalculator.From(Now.AddDays(-3), false, "api.reachable", Now));
    }

    [Fact]
    public void Describe_EveryStatus_HasWords()
    {
        Assert.All(Enum.GetValues<ClusterStatus>(), s => Assert.False(string.IsNullOrWhiteSpace(ClusterStatusCalculator.Describe(s))));
    }
}
