using System.Net;
using System.Net.Http.Json;
using Hangfire;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Storage;

[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class StorageAndJobsTests(PortalFixture portal)
{
    [Fact]
    public async Task Model_HasNoChangesWithoutMigration()
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        Assert.False(db.Database.HasPendingModelChanges(), "The EF model changed without a migration: run dotnet ef migrations add (see README).");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Kubeconfig_IsEncryptedAtRest()
    {
        var name = "enc-" + Guid.NewGuid().ToString("N")[..6];
        var cluster = portal.Mesh["cluster-1"];
        var response = await portal.CreateClient().PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = cluster.KubeconfigYaml, context = "cluster-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var stored = await db.Clusters.AsNoTracking().SingleAsync(c => c.Name == name);
        Assert.DoesNotContain(cluster.Token, stored.ProtectedKubeconfig);
        Assert.DoesNotContain("certificate-authority-data", stored.ProtectedKubeconfig);
        var dbBytes = await File.ReadAllBytesAsync(Path.Combine(portal.DataDirectory, "meshportal.db"));
        Assert.Equal(-1, System.Text.Encoding.UTF8.GetString(dbBytes).IndexOf(cluster.Token, StringComparison.Ordinal));
        Assert.True(Directory.EnumerateFiles(Path.Combine(portal.DataDirectory, "keys")).Any(), "the Data Protection key ring lives in the data directory");
        await portal.CreateClient().DeleteAsync($"/api/v1/clusters/{name}");
    }

    [Fact]
    public async Task ScheduledCheck_RunsThroughHangfire_AndRecordsHistory()
    {
        var name = "job-" + Guid.NewGuid().ToString("N")[..6];
        var api = portal.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-2"].KubeconfigYaml, context = "cluster-2" })).StatusCode);

        portal.Services.GetRequiredService<IRecurringJobManager>().Trigger(JobIds.CheckAllClusters);

        var factory = portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        await Eventually.ReturnsAsync(async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                return await db.ClusterCheckRuns.CountAsync(r => r.Cluster!.Name == name && r.Trigger == "schedule");
            },
            count => count >= 1,
            "the scheduled check job to record a check run");
        await api.DeleteAsync($"/api/v1/clusters/{name}");
    }
}
