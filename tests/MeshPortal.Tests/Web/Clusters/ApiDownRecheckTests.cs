using System.Diagnostics;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Clusters;

/// <summary>
/// Issue 16: a push that finds a cluster's API unreachable re-checks the cluster at once (status down within seconds, not at
/// the next 5-minute cron; the fixture has the cron off) and again soon after (the fixture's 10 s instead of the default 30 s),
/// so it is healthy again soon after recovery.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ApiDownRecheckTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task A_push_that_finds_the_api_down_rechecks_now_and_again_after_recovery()
    {
        var mesh = await portal.StartPrivateMeshAsync(clusters: 1);
        var sim = mesh["cluster-1"];
        var name = await RegisterAsync(api, mesh, "cluster-1", "rchk");
        try
        {
            var (passed, _, checkedAt) = await StatusAsync(name);
            Assert.True(passed);

            sim.Faults.ApiDown = true;
            var id = await IdAsync(name);
            using (var scope = portal.Services.CreateScope())
            {
                var result = await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(id, "test", CancellationToken.None);
                Assert.False(result.Succeeded);
            }

            Assert.Single(portal.Services.GetServices<IClusterApiUnreachable>());
            var watch = Stopwatch.StartNew();
            var down = await Eventually.ReturnsAsync(() => StatusAsync(name), s => s.Passed == false, "cluster status down after the failed push",
                TimeSpan.FromSeconds(20));
            // The simulator closes connections of a downed API before TLS: the check calls that unreachable, not a TLS fault.
            Assert.Equal(CheckStageIds.ApiReachable, down.Stage);
            Assert.True(down.CheckedAt > checkedAt);

            // A burst (more failed pushes) does not start more checks than the one pair.
            using (var scope = portal.Services.CreateScope())
            {
                await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(id, "test", CancellationToken.None);
            }

            sim.Faults.ApiDown = false;
            // No cron, no further push: the scheduled follow-up check alone brings the status back.
            var up = await Eventually.ReturnsAsync(() => StatusAsync(name), s => s.Passed == true, "cluster healthy again after recovery",
                TimeSpan.FromSeconds(60));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(50), $"recovered after {watch.Elapsed}");
            Assert.Null(up.Stage);
        }
        finally
        {
            sim.Faults.ApiDown = false;
            await api.DeleteAsync($"/api/v1/clusters/{name}");
        }
    }

    private async Task<int> IdAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private async Task<(bool? Passed, string? Stage, DateTimeOffset? CheckedAt)> StatusAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var c = await db.Clusters.AsNoTracking().SingleAsync(c => c.Name == name);
        return (c.LastCheckPassed, c.LastFailedStage, c.LastCheckedAt);
    }
}
