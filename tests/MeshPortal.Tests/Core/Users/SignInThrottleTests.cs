using MeshPortal.Tests.Support;
using MeshPortal.Web.Auth;

namespace MeshPortal.Tests.Core.Users;

[Trait("Speed", "Fast")]
public sealed class SignInThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    private readonly TestClock clock = new(Start);

    private SignInThrottle Throttle(int perAccount = 5, int perClient = 20) =>
        new(clock, new SignInThrottleOptions { MaxFailuresPerAccount = perAccount, MaxFailuresPerClient = perClient, WindowSeconds = 300 });

    [Fact]
    public void OneClient_SprayingManyNames_IsThrottledAfterItsLimit_ForEveryName()
    {
        var throttle = Throttle(perAccount: 5, perClient: 20);
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(throttle.ThrottledUntil($"user-{i}", "203.0.113.9"));
            throttle.RecordFailure($"user-{i}", "203.0.113.9");
        }

        Assert.Equal(clock.Now.AddMinutes(5), throttle.ThrottledUntil("admin", "203.0.113.9"));
        Assert.Null(throttle.ThrottledUntil("admin", "198.51.100.7")); // another client may still sign in
    }

    [Fact]
    public void OneName_IsThrottledAfterItsLimit_FromAnyClient_UntilTheOldestFailureAges()
    {
        var throttle = Throttle();
        for (var i = 0; i < 5; i++)
        {
            throttle.RecordFailure("Admin", $"198.51.100.{i}");
            clock.Now = clock.Now.AddSeconds(10);
        }

        Assert.NotNull(throttle.ThrottledUntil("admin", "192.0.2.1")); // names compare case-insensitively
        clock.Now = clock.Now.AddSeconds(251); // the first failure is now older than the window
        Assert.Null(throttle.ThrottledUntil("admin", "192.0.2.1"));
    }

    [Fact]
    public void ARefusal_IsReportedForAuditOncePerWindow()
    {
        var throttle = Throttle(perAccount: 1);
        throttle.RecordFailure("bob", "192.0.2.1");
        Assert.True(throttle.FirstRefusal("bob", "192.0.2.1"));
        Assert.False(throttle.FirstRefusal("bob", "192.0.2.1"));
        clock.Now = clock.Now.AddMinutes(6);
        throttle.RecordFailure("bob", "192.0.2.1");
        Assert.True(throttle.FirstRefusal("bob", "192.0.2.1"));
    }

    [Fact]
    public void ASuccess_ClearsTheName()
    {
        var throttle = Throttle(perAccount: 2);
        throttle.RecordFailure("carol", "192.0.2.1");
        throttle.RecordSuccess("carol");
        throttle.RecordFailure("carol", "192.0.2.1");
        Assert.Null(throttle.ThrottledUntil("carol", "192.0.2.1"));
    }
}
