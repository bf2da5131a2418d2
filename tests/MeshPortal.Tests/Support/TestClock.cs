namespace MeshPortal.Tests.Support;

/// <summary>The time the code under test reads (<see cref="TimeProvider"/>): where the test puts it, and only there.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
