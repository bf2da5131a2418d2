using Bunit;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.Components.Pages.TrustParts;

namespace MeshPortal.Tests.Web.Components;

/// <summary>The Trust page's parts in bUnit: the background issuance progress bar and the rotation preview table.</summary>
[Trait("Speed", "Web")]
public sealed class TrustPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task IssuanceProgressBar_ShowsRunningBatch_LastError_OrNothing()
    {
        await using var ctx = ComponentContext.New();
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
        await using var ctx = ComponentContext.New();
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
}
