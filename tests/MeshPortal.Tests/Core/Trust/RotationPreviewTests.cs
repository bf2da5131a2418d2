using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Tests.Core.Trust;

/// <summary>The pure per-cluster preview of each root rotation step.</summary>
[Trait("Speed", "Fast")]
public sealed class RotationPreviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExpiryStatus Fine = new(ExpirySeverity.Ok, 3000, null);

    private static TrustRootView Root(RootMode mode = RootMode.Generated) =>
        new(1, mode, RootState.Active, "CN=Root CA, O=Istio", CaKeyType.EcdsaP256, new string('A', 64), Now.AddDays(-1), Now.AddYears(10), Fine);

    private static ClusterTrustView Cluster(string name, CacertsDecision decision = CacertsDecision.None) =>
        new(1, name, "1.6.8", IntermediateState.Active, "CN=Root CA, O=Istio", "01", Now.AddYears(2), Fine, true, null, CacertsState.Synced, null, Now, decision, true);

    private static TrustStatus Status(RotationPhase phase, TrustRootView? root, params ClusterTrustView[] clusters) => new(root, null, phase, clusters, Now);

    [Fact]
    public void NoRoot_OrExternalRoot_HasNoStep()
    {
        Assert.Null(RotationPreview.For(Status(RotationPhase.None, null)).NextStep);
        var external = RotationPreview.For(Status(RotationPhase.None, Root(RootMode.External), Cluster("a")));
        Assert.Null(external.NextStep);
        Assert.Contains("company CA", external.Blocked);
        Assert.Empty(external.Changes);
    }

    [Theory]
    [InlineData(RotationPhase.None, "start", "adds the next root beside", "unchanged", "unchanged")]
    [InlineData(RotationPhase.NextRootDistributed, "switch", "unchanged (both roots)", "new key; re-issued by the next root", "intermediate + next root")]
    [InlineData(RotationPhase.IntermediatesSwitched, "finish", "drops the old root", "unchanged", "unchanged")]
    public void EachPhase_NamesTheNextStep_AndItsEffectOnEveryFile(RotationPhase phase, string step, string rootCert, string caCert, string chain)
    {
        var plan = RotationPreview.For(Status(phase, Root(), Cluster("east"), Cluster("west")));
        Assert.Equal(step, plan.NextStep);
        Assert.Null(plan.Blocked);
        Assert.Equal(["east", "west"], plan.Changes.Select(c => c.Cluster));
        Assert.All(plan.Changes, c =>
        {
            Assert.StartsWith(rootCert, c.RootCert);
            Assert.Equal(caCert, c.CaCert);
            Assert.Equal(chain, c.CertChain);
            Assert.True(c.Written);
            Assert.StartsWith(c.Cluster + ": ", c.Summary);
        });
    }

    [Fact]
    public void FinishNamesTheOldRootByFingerprint_AndAdoptedClustersAreUntouched()
    {
        var plan = RotationPreview.For(Status(RotationPhase.IntermediatesSwitched, Root(), Cluster("east"), Cluster("own-ca", CacertsDecision.Adopt)));
        Assert.Contains("AA:AA:AA:AA", plan.Changes[0].RootCert);
        var adopted = plan.Changes[1];
        Assert.False(adopted.Written);
        Assert.Equal(("unchanged", "unchanged", "unchanged"), (adopted.RootCert, adopted.CaCert, adopted.CertChain));
        Assert.Contains("adopted", adopted.Summary);
    }
}
