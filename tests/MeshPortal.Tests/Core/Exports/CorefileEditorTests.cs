using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class CorefileEditorTests
{
    // The simulator's stock CoreDNS 1.6.7 Corefile, plus an unrelated server block and comments that must survive untouched.
    private const string Stock = ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n# company zone\ncorp.example:53 {\n    forward . 10.9.9.9   # on-prem DNS\n}\n";

    [Fact]
    public void Add_AppendsTheBlock_AndKeepsEveryOtherLineByteIdentical()
    {
        var updated = CorefileEditor.WithGlobalBlock(Stock, "10.1.0.53", useProxy: false);
        Assert.StartsWith(Stock, updated, StringComparison.Ordinal);
        Assert.Equal(CorefileEditor.Block("10.1.0.53", false), updated[Stock.Length..]);
        Assert.Contains("    forward . 10.1.0.53:53\n", updated);
        Assert.True(CorefileEditor.HasManagedBlock(updated));
    }

    [Fact]
    public void Remove_RestoresTheOriginalExactly()
    {
        var updated = CorefileEditor.WithGlobalBlock(Stock, "10.1.0.53", useProxy: false);
        Assert.Equal(Stock, CorefileEditor.WithoutGlobalBlock(updated));
        Assert.Equal(Stock, CorefileEditor.WithoutGlobalBlock(Stock));
    }

    [Fact]
    public void Update_ReplacesOnlyTheBlock_AndIsIdempotent()
    {
        var first = CorefileEditor.WithGlobalBlock(Stock, "10.1.0.53", useProxy: false);
        var moved = CorefileEditor.WithGlobalBlock(first, "10.1.0.99", useProxy: false);
        Assert.Equal(Stock + CorefileEditor.Block("10.1.0.99", false), moved);
        Assert.Equal(moved, CorefileEditor.WithGlobalBlock(moved, "10.1.0.99", useProxy: false));
    }

    [Fact]
    public void BlockInTheMiddle_IsUpdatedAndRemovedInPlace()
    {
        var middle = ".:53 {\n    forward . /etc/resolv.conf\n}\n" + CorefileEditor.Block("10.1.0.53", false) + "tail:53 {\n    errors\n}\n";
        var moved = CorefileEditor.WithGlobalBlock(middle, "10.1.0.7", false);
        Assert.Equal(".:53 {\n    forward . /etc/resolv.conf\n}\n" + CorefileEditor.Block("10.1.0.7", false) + "tail:53 {\n    errors\n}\n", moved);
        Assert.Equal(".:53 {\n    forward . /etc/resolv.conf\n}\ntail:53 {\n    errors\n}\n", CorefileEditor.WithoutGlobalBlock(moved));
    }

    [Fact]
    public void OldCoreDns_GetsProxy_NewGetsForwardWithPort()
    {
        Assert.True(CorefileEditor.NeedsProxy("1.3.1"));
        Assert.False(CorefileEditor.NeedsProxy("1.4.0"));
        Assert.False(CorefileEditor.NeedsProxy("v1.8.0"));
        Assert.False(CorefileEditor.NeedsProxy(null));
        Assert.Contains("    proxy . 10.1.0.53\n", CorefileEditor.WithGlobalBlock(Stock, "10.1.0.53", useProxy: true));
    }

    [Fact]
    public void HandWrittenGlobalBlock_IsTakenOverWhenNeeded_ButNeverRemoved()
    {
        var handWritten = Stock + "global:53 {\n    errors\n    cache 30\n    forward . 10.1.0.53:53\n}\n";
        Assert.Equal(handWritten, CorefileEditor.WithoutGlobalBlock(handWritten));
        Assert.Equal(Stock + CorefileEditor.Block("10.1.0.53", false), CorefileEditor.WithGlobalBlock(handWritten, "10.1.0.53", false));
    }

    [Fact]
    public void CorefileWithoutTrailingNewline_GetsOneBeforeTheBlock()
    {
        var text = ".:53 {\n    errors\n}";
        Assert.Equal(text + "\n" + CorefileEditor.Block("10.1.0.53", false), CorefileEditor.WithGlobalBlock(text, "10.1.0.53", false));
    }
}
