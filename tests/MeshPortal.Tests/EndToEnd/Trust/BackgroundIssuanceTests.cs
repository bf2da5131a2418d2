using MeshPortal.Core.Features.Trust;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.EndToEnd.Trust;

/// <summary>Large batches (e.g. 50 RSA 4096 intermediates) leave the request path: a background job with progress, then a push.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class BackgroundIssuanceTests
{
    [Theory]
    [InlineData(CaKeyType.EcdsaP256, 50, 2, false)]
    [InlineData(CaKeyType.Rsa4096, 2, 2, false)]
    [InlineData(CaKeyType.Rsa4096, 4, 2, false)]
    [InlineData(CaKeyType.Rsa4096, 50, 2, true)]
    [InlineData(CaKeyType.Rsa4096, 12, 1, true)]
    public void IssueCost_DecidesBetweenRequestAndBackground(string keyType, int count, int cores, bool background) =>
        Assert.Equal(background, IssueCost.RunInBackground(keyType, count, cores, TimeSpan.FromSeconds(3)));

    [Fact]
    public void IssueCost_ScalesWithCores()
    {
        Assert.Equal(TimeSpan.Zero, IssueCost.Estimate(CaKeyType.Rsa4096, 0, 2));
        Assert.Equal(IssueCost.PerKey(CaKeyType.Rsa4096) * 25, IssueCost.Estimate(CaKeyType.Rsa4096, 50, 2));
        Assert.Equal(IssueCost.PerKey(CaKeyType.Rsa4096) * 50, IssueCost.Estimate(CaKeyType.Rsa4096, 50, 1));
    }

    [Fact]
    public async Task OverBudget_RootIsCreatedAtOnce_IntermediatesFollowInTheBackground_WithProgress_ThenAPush()
    {
        await using var h = await TrustHarness.StartAsync(inlineIssueBudgetMilliseconds: 0);
        var background = h.Services.GetRequiredService<BackgroundIssuance>();
        await background.StartAsync(CancellationToken.None);
        try
        {
            var outcome = await h.TrustAsync(t => t.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
            Assert.Contains("in the background", outcome.Message);

            await Eventually.ReturnsAsync(async () =>
            {
                await using var db = await h.DbAsync();
                return await db.ClusterIntermediates.CountAsync(i => i.State == IntermediateState.Active);
            }, n => n == 2, "both intermediates to be issued in the background");
            var progress = await Eventually.ReturnsAsync(() => Task.FromResult(h.Services.GetRequiredService<IssuanceProgress>().Current),
                p => !p.Running && p.FinishedAt is not null, "the batch to finish");
            Assert.Equal((2, 2, 100, null), (progress.Done, progress.Total, progress.Percent, progress.Error));
            await Eventually.ReturnsAsync(() => Task.FromResult(h.Requests.Requested), r => r.Distinct().Count() == 2, "a push of both clusters");

            var reissue = await h.TrustAsync(t => t.ReissueAsync(null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
            Assert.Contains("in the background", reissue.Message);
            await Eventually.ReturnsAsync(async () =>
            {
                await using var db = await h.DbAsync();
                return await db.ClusterIntermediates.CountAsync(i => i.State == IntermediateState.Superseded);
            }, n => n == 2, "the re-issue to supersede both intermediates");
        }
        finally
        {
            await background.StopAsync(CancellationToken.None);
        }
    }
}
