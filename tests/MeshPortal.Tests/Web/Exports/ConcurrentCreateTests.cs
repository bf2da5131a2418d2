using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>
/// Export creates at once through the API of the real portal (SQLite file, VIP allocator, audit, pushes) against a mesh of
/// its own: different names never get a conflict, the same name twice gets exactly one 201 and one 409, every address is
/// distinct and every created export has its one audit record.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ConcurrentCreateTests(PortalFixture portal)
{
    private const int Services = 24;
    private const int Twice = 8;

    [Fact]
    public async Task Creates_at_once_never_conflict_unless_they_name_the_same_service_and_then_exactly_one_wins()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions { Clusters = 2, Defaults = new SimulatedClusterOptions { ExtraServices = Services } });
        using var api = portal.CreateClient();
        var exporter = await RegisterAsync(api, mesh["cluster-2"], "burst-exp");
        var consumer = await RegisterAsync(api, mesh["cluster-1"], "burst-con");
        // Every service once, the first eight a second time: 32 creates from 8 clients at once, in shuffled order.
        var requests = new ConcurrentQueue<string>(Enumerable.Range(1, Services).Concat(Enumerable.Range(1, Twice))
            .Select(i => $"svc-{i:D4}").OrderBy(_ => Random.Shared.Next()));
        var answers = new ConcurrentBag<(string Service, HttpStatusCode Status, string Body)>();
        var dbFactory = portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        long auditedBefore;
        await using (var before = await dbFactory.CreateDbContextAsync())
        {
            // The portal is shared: other tests may have exported (and audited) the same svc-NNNN.extra hosts before this one.
            auditedBefore = await before.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                using var client = portal.CreateClient();
                while (requests.TryDequeue(out var service))
                {
                    using var response = await client.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "extra", service });
                    answers.Add((service, response.StatusCode, await response.Content.ReadAsStringAsync()));
                }
            })));

            var byService = answers.GroupBy(a => a.Service).ToDictionary(g => g.Key, g => g.Select(a => a.Status).Order().ToList());
            Assert.Equal(Services, byService.Count);
            foreach (var (service, statuses) in byService)
            {
                var expected = int.Parse(service[4..], System.Globalization.CultureInfo.InvariantCulture) <= Twice
                    ? new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }
                    : [HttpStatusCode.Created];
                Assert.True(expected.SequenceEqual(statuses), $"{service}: {string.Join(", ", answers.Where(a => a.Service == service).Select(a => $"{(int)a.Status} {a.Body}"))}");
            }

            Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains(a.Service, a.Body)); // "already exported" or, in a dead heat, "exported by someone else a moment ago"
            await using var db = await dbFactory.CreateDbContextAsync();
            var hosts = Enumerable.Range(1, Services).Select(i => $"svc-{i:D4}.extra.global").ToList();
            var saved = await db.Exports.AsNoTracking().Where(e => hosts.Contains(e.Host)).Select(e => new { e.Host, e.Address }).ToListAsync();
            Assert.Equal(Services, saved.Count);
            Assert.Equal(Services, saved.Select(e => e.Address).Distinct().Count());
            var audited = await db.AuditEntries.AsNoTracking().Where(a => a.Id > auditedBefore && a.Action == "export.created" && hosts.Contains(a.Target!)).Select(a => a.Target).ToListAsync();
            Assert.Equal(hosts.Order(), audited.Order());
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
