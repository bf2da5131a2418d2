using MeshPortal.Core.Platform.Events;

namespace MeshPortal.Tests.Core.Sync;

[Trait("Speed", "Fast")]
public sealed class RelayMessageTests
{
    [Fact]
    public void Round_trips_between_processes_and_drops_own_messages()
    {
        var payload = new RelayMessage("a", RelayMessage.ProbeKind, "cluster-2").Format()!;

        Assert.Equal(new RelayMessage("a", RelayMessage.ProbeKind, "cluster-2"), RelayMessage.FromOther(payload, self: "b"));
        Assert.Null(RelayMessage.FromOther(payload, self: "a"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"origin":"x","kind":"secret","key":"c"}""")]
    [InlineData("""{"origin":"x","kind":"cluster","key":""}""")]
    public void Ignores_malformed_or_unknown_payloads(string payload) =>
        Assert.Null(RelayMessage.FromOther(payload, self: "b"));

    [Fact]
    public void Refuses_payloads_that_would_not_fit_a_notification() =>
        Assert.Null(new RelayMessage("a", RelayMessage.ClusterKind, new string('c', 8000)).Format());
}
