using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Clusters;

/// <summary>Issue 16: the job dashboard names push and probe jobs by the cluster's name, not "Push cluster 5".</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ClusterJobDisplayNameTests(PortalFixture portal)
{
    [Fact]
    public async Task Push_and_probe_jobs_show_the_cluster_name_and_a_deleted_cluster_says_so()
    {
        using var api = portal.CreateClient();
        var name = await RegisterAsync(api, portal, "cluster-2", "jobname");
        int id;
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync())
        {
            id = await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        }

        try
        {
            var push = Job.FromExpression<PushClusterJob>(j => j.RunAsync(id, "schedule", CancellationToken.None));
            var probe = Job.FromExpression<ProbeJob>(j => j.RunClusterAsync(id, CancellationToken.None));

            Assert.Equal($"Push cluster {name} (schedule)", Display(push));
            Assert.Equal($"Probe from cluster {name}", Display(probe));
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{name}");
        }

        Assert.Equal($"Push cluster #{id} (deleted) (schedule)",
            Display(Job.FromExpression<PushClusterJob>(j => j.RunAsync(id, "schedule", CancellationToken.None))));
    }

    private string Display(Job job)
    {
        var http = new DefaultHttpContext { RequestServices = portal.Services };
        var context = new AspNetCoreDashboardContext(portal.Services.GetRequiredService<JobStorage>(), new DashboardOptions(), http);
        var attribute = job.Method.GetCustomAttributes(typeof(JobDisplayNameAttribute), true).Cast<JobDisplayNameAttribute>().Single();
        return attribute.Format(context, job);
    }
}
