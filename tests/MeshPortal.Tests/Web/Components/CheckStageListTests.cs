using Bunit;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.Components.Shared;

namespace MeshPortal.Tests.Web.Components;

/// <summary>The staged connection check list: every stage, its time, and a hint only on failure.</summary>
[Trait("Speed", "Web")]
public sealed class CheckStageListTests
{
    [Fact]
    public async Task CheckStageList_ShowsEveryStageWithHintOnlyOnFailure()
    {
        await using var ctx = ComponentContext.New();
        IReadOnlyList<CheckStage> stages =
        [
            new("api.reachable", "API server reachable", CheckResult.Pass, 3, "Connected to 127.0.0.1:6443.", null),
            new("api.tls", "TLS trusted", CheckResult.Fail, 12, "Certificate not trusted.", "Paste the cluster's CA."),
            new("api.auth", "Credentials accepted", CheckResult.Skip, 0, "Skipped: TLS failed.", null),
        ];

        var cut = ctx.Render<CheckStageList>(p => p.Add(c => c.Stages, stages));

        var rows = cut.FindAll("[data-testid=check-stages] [data-stage]");
        Assert.Equal(3, rows.Count);
        Assert.Contains("Failed · 12 ms", rows[1].TextContent);
        Assert.Equal("api.tls", rows[1].QuerySelector(".mp-stage-title")!.GetAttribute("title"));
        Assert.Equal("api.tls", rows[1].GetAttribute("data-stage"));
        Assert.Contains("Paste the cluster's CA.", rows[1].TextContent);
        Assert.Single(cut.FindAll(".mp-stage-hint"));
        Assert.Contains("12 ms", rows[1].TextContent);
    }
}
