using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class PeerApiServerRuleTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("https://10.0.0.12:6443", true)]
    [InlineData("https://api.internal.example.com", true)]
    [InlineData("http://10.0.0.12:6443", false)]
    [InlineData("10.0.0.12:6443", false)]
    [InlineData("https://user:pw@10.0.0.12:6443", false)]
    [InlineData("https://10.0.0.12:6443/?x=1", false)]
    [InlineData("https://10.0.0.12:6443\n", true)]
    [InlineData("https://10.0.\u00070.12", false)]
    public void Peer_api_server_must_be_a_plain_https_url(string? value, bool valid) =>
        Assert.Equal(valid, PeerApiServerRule.Validate(value) is null);
}
