using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class VipRangeTests
{
    [Fact]
    public void Default_Range_StartsAfterNetworkAddress_AndEndsBeforeBroadcast()
    {
        var range = VipRange.Parse("240.0.0.0/16");
        Assert.Equal("240.0.0.1", VipRange.Format(range.First));
        Assert.Equal("240.0.255.254", VipRange.Format(range.Last));
        Assert.Equal(65534, range.Size);
    }

    [Theory]
    [InlineData("127.0.0.0/8", "loopback")]
    [InlineData("127.1.0.0/16", "loopback")]
    [InlineData("224.0.0.0/4", "multicast")]
    [InlineData("239.1.0.0/16", "multicast")]
    [InlineData("240.0.0.0/4", "240.240.0.0/16")]
    [InlineData("240.240.3.0/24", "240.240.0.0/16")]
    [InlineData("not-a-range", "CIDR")]
    [InlineData("240.0.0.0", "CIDR")]
    [InlineData("240.0.0.0/33", "CIDR")]
    [InlineData("::1/128", "CIDR")]
    [InlineData("240.0.0.1/16", "host bits")]
    [InlineData("240.0.0.0/31", "too small")]
    public void Refused_Ranges_SaySpecificallyWhy(string text, string expected)
    {
        Assert.False(VipRange.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LowestFree_FillsGapsFirst_AndReturnsNullWhenExhausted()
    {
        var range = VipRange.Parse("240.0.0.0/29"); // .1 .. .6
        var taken = new[] { "240.0.0.1", "240.0.0.2", "240.0.0.4", "10.0.0.1" }.Select(a => VipRange.TryToUInt(a)!.Value).ToList();
        Assert.Equal("240.0.0.3", VipRange.Format(range.LowestFree(taken)!.Value));
        var all = Enumerable.Range(1, 6).Select(i => VipRange.TryToUInt($"240.0.0.{i}")!.Value);
        Assert.Null(range.LowestFree(all));
    }
}
