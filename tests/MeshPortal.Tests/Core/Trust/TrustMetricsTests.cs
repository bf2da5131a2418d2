using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.Health;

namespace MeshPortal.Tests.Core.Trust;

/// <summary>The pure metric samples for expiry, at every warning level.</summary>
[Trait("Speed", "Fast")]
public sealed class TrustMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly int[] Thresholds = [60, 30, 7];

    private static ClusterTrustView Cluster(string name, double daysLeft)
    {
        var notAfter = Now.AddDays(daysLeft);
        return new(1, name, "1.6.8", IntermediateState.Active, "CN=Root CA", "01", notAfter, ExpiryWarnings.Evaluate(notAfter, Now, Thresholds),
            true, null, CacertsState.Synced, null, Now, CacertsDecision.None, true);
    }

    [Fact]
    public void Samples_SecondsToExpiry_AndWarningLevelPerThreshold()
    {
        var rootAfter = Now.AddDays(3650);
        var root = new TrustRootView(1, RootMode.Generated, RootState.Active, "CN=Root CA", CaKeyType.EcdsaP256, "AB", Now, rootAfter,
            ExpiryWarnings.Evaluate(rootAfter, Now, Thresholds));
        var nextAfter = Now.AddDays(20);
        var next = root with { State = RootState.Next, FingerprintSha256 = "CD", NotAfter = nextAfter, Expiry = ExpiryWarnings.Evaluate(nextAfter, Now, Thresholds) };
        var status = new TrustStatus(root, next, RotationPhase.NextRootDistributed,
            [Cluster("ok", 400), Cluster("notice", 45), Cluster("warning", 20), Cluster("critical", 3), Cluster("expired", -1),
             Cluster("no-intermediate", 1) with { NotAfter = null, Expiry = null }], Now);

        var samples = TrustMetrics.Samples(status);
        double Value(string gauge, params string[] labels) => samples.Single(s => s.Gauge == gauge && s.Labels.SequenceEqual(labels)).Value;

        Assert.Equal(3650 * 86400, Value(TrustMetrics.RootExpiryName, "active", "AB"));
        Assert.Equal(20 * 86400, Value(TrustMetrics.RootExpiryName, "next", "CD"));
        Assert.Equal(0, Value(TrustMetrics.WarningLevelName, "root", "active"));
        Assert.Equal(2, Value(TrustMetrics.WarningLevelName, "root", "next"));
        Assert.Equal(-86400, Value(TrustMetrics.IntermediateExpiryName, "expired"));
        Assert.Equal(
            [0, 1, 2, 3, 4],
            new[] { "ok", "notice", "warning", "critical", "expired" }.Select(c => Value(TrustMetrics.WarningLevelName, "intermediate", c)));
        Assert.DoesNotContain(samples, s => s.Labels.Contains("no-intermediate"));
    }
}
