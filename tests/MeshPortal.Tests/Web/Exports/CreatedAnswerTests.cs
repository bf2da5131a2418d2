using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>
/// The 201 of an export create is built from what the create saved, not read back: its body is exactly what a following
/// GET of the export answers (same fields, same values, same order), with and without an owning team. The clusters' push
/// locks are held meanwhile, so no push changes the export's state between the two answers.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class CreatedAnswerTests(PortalFixture portal)
{
    [Fact]
    public async Task The_201_body_equals_the_body_of_a_following_GET()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions { Clusters = 2, Defaults = new SimulatedClusterOptions { ExtraServices = 2 } });
        using var api = portal.CreateClient();
        var exporter = await RegisterAsync(api, mesh["cluster-2"], "answer-exp");
        var consumer = await RegisterAsync(api, mesh["cluster-1"], "answer-con");
        var team = "answer-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/teams", new { name = team })).StatusCode);
        List<int> clusterIds;
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync())
        {
            clusterIds = await db.Clusters.Where(c => c.Name == exporter || c.Name == consumer).Select(c => c.Id).OrderBy(id => id).ToListAsync();
        }

        var locks = portal.Services.GetRequiredService<ClusterLocks>();
        try
        {
            foreach (var (service, owner) in new[] { ("svc-0001", (string?)null), ("svc-0002", team) })
            {
                var held = new List<IAsyncDisposable>();
                try
                {
                    foreach (var id in clusterIds)
                    {
                        held.Add(await locks.AcquireAsync(id, CancellationToken.None)); // no push of these clusters until both answers are read
                    }

                    var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "extra", service, consumers = new[] { consumer }, team = owner });
                    var body = await created.Content.ReadAsStringAsync();
                    Assert.True(created.StatusCode == HttpStatusCode.Created, body);
                    var got = await api.GetAsync(created.Headers.Location);
                    Assert.Equal(HttpStatusCode.OK, got.StatusCode);

                    Assert.Equal(await got.Content.ReadAsStringAsync(), body);
                    var export = System.Text.Json.Nodes.JsonNode.Parse(body)!;
                    Assert.Equal(owner, (string?)export["team"]);
                    Assert.Equal(consumer, (string?)export["consumers"]![0]!["cluster"]);
                }
                finally
                {
                    foreach (var h in held)
                    {
                        await h.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            foreach (var e in (await JsonAsync(await api.GetAsync($"/api/v1/exports?cluster={exporter}"))).AsArray())
            {
                await api.DeleteAsync($"/api/v1/exports/{e!["id"]}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }
}
