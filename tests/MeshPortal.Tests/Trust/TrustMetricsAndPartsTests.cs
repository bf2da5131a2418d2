using Bunit;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.Components.Pages.TrustParts;
using MeshPortal.Web.Health;
using MudBlazor.Services;

namespace MeshPortal.Tests.Trust;

/// <summary>The pure metric samples for expiry (every warning level) and the Trust page's progress and rotation parts.</summary>
public sealed class TrustMetricsAndPartsTests
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

    [Fact]
    public async Task IssuanceProgressBar_ShowsRunningBatch_LastError_OrNothing()
    {
        await using var ctx = NewContext();
        var running = new IssuanceSnapshot(true, 20, 50, "RSA 4096 intermediate CA(s) for 50 cluster(s)", null, Now, null);
        var cut = ctx.Render<IssuanceProgressBar>(p => p.Add(c => c.Snapshot, running));
        Assert.Contains("20 of 50", cut.Find("[data-testid=issuance-progress]").TextContent);
        Assert.Contains("RSA 4096", cut.Markup);

        var failed = ctx.Render<IssuanceProgressBar>(p => p.Add(c => c.Snapshot, running with { Running = false, Error = "disk full" }));
        Assert.Contains("disk full", failed.Find("[data-testid=issuance-error]").TextContent);

        Assert.Empty(ctx.Render<IssuanceProgressBar>(p => p.Add(c => c.Snapshot, IssuanceSnapshot.Idle)).Markup.Trim());
    }

    [Fact]
    public async Task RotationPreviewTable_ShowsEachFilePerCluster_OrWhyItIsBlocked()
    {
        await using var ctx = NewContext();
        var plan = new RotationPlan(RotationPhase.NextRootDistributed, RotationPreview.Switch, null,
        [
            new ClusterRotationChange("east", "unchanged (both roots)", "new key; re-issued by the next root", "intermediate + next root", true, "east: ..."),
            new ClusterRotationChange("own", "unchanged", "unchanged", "unchanged", false, "own: adopted"),
        ]);
        var cut = ctx.Render<RotationPreviewTable>(p => p.Add(c => c.Plan, plan));

        // Collapsed by default (issue 16): a button says what it would show; the table appears only when asked for.
        Assert.Empty(cut.FindAll("[data-testid=rotation-preview]"));
        var toggle = cut.Find("[data-testid=rotation-preview-toggle]");
        Assert.Contains("Show what phase 2 (switch intermediates) changes (2 clusters)", toggle.TextContent);
        Assert.Equal("false", toggle.GetAttribute("aria-expanded"));
        toggle.Click();
        Assert.Equal("true", cut.Find("[data-testid=rotation-preview-toggle]").GetAttribute("aria-expanded"));
        var rows = cut.FindAll("[data-testid=rotation-preview] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("new key; re-issued by the next root", rows[0].TextContent);
        Assert.Contains("adopted", rows[1].TextContent);

        var blocked = ctx.Render<RotationPreviewTable>(p => p.Add(c => c.Plan, new RotationPlan(RotationPhase.None, null, "External root: rotate at the company CA.", [])));
        Assert.Contains("company CA", blocked.Markup);
        Assert.Empty(blocked.FindAll("[data-testid=rotation-preview]"));
        Assert.Empty(blocked.FindAll("[data-testid=rotation-preview-toggle]"));
    }

    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return ctx;
    }
}
