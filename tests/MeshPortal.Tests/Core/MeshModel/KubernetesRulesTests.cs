using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Tests.Core.MeshModel;

[Trait("Speed", "Fast")]
public sealed class KubernetesRulesTests
{
    [Theory]
    [InlineData("v1.15.12", false)]
    [InlineData("v1.14.0", false)]
    [InlineData("v1.16.0", true)]
    [InlineData("v1.29.3+k3s1", true)]
    [InlineData("v1.18.20-eks-1234", true)]
    public void ServerSideApply_From116(string version, bool supported)
    {
        var verdict = KubernetesRules.ServerSideApply(version);
        Assert.Equal(supported, verdict.Supported);
        if (!supported)
        {
            Assert.Contains("server-side apply", verdict.Reason);
            Assert.Contains("nothing will be pushed", verdict.Reason);
            Assert.NotNull(verdict.Hint);
        }
    }

    [Fact]
    public void UnreadableVersion_IsNotRefused() => Assert.True(KubernetesRules.ServerSideApply("garbage").Supported);
}
