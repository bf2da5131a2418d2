using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Probes;

/// <summary>
/// The probe pod per cluster (API), MeshPortal's own probe pod (planner → push → simulator injects the sidecar → probes run from
/// it; off → removed), "probe now" for one export, and the mesh-wide canary (deployed, exported, probed Ok, removed).
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ProbePodEndToEndTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Own_probe_pod_is_deployed_with_a_sidecar_used_for_probes_and_removed_when_switched_off()
    {
        await using var s = await ProbeScenario.StartAsync(portal, api, "own");
        var sim1 = s.Mesh["cluster-1"];

        var initial = await JsonAsync(await api.GetAsync($"/api/v1/clusters/{s.Consumer}/probe-pod"));
        Assert.Equal("foo", (string?)initial["effectiveNamespace"]);
        Assert.Equal("app=sleep", (string?)initial["effectiveLabelSelector"]);
        Assert.False((bool)initial["ownPod"]!);

        var invalid = await api.PutAsJsonAsync($"/api/v1/clusters/{s.Consumer}/probe-pod", new { @namespace = "Not Valid", labelSelector = "app" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/clusters/no-such-cluster/probe-pod")).StatusCode);

        // A selector that matches nothing: ProbePodMissing, naming the selector.
        var custom = await api.PutAsJsonAsync($"/api/v1/clusters/{s.Consumer}/probe-pod", new { @namespace = "foo", labelSelector = "app=nothing" });
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        var missing = await s.RunAsync();
        Assert.Equal(ProbeStatus.ProbePodMissing, missing.Classification.Status);
        Assert.Contains("app=nothing", missing.Classification.Message);

        // The seed's sleep goes away (its Deployment: a deleted pod alone comes back); MeshPortal's own pod takes over.
        sim1.Delete("apps", "deployments", "foo", "sleep");
        foreach (var pod in sim1.List("", "pods", "foo"))
        {
            sim1.Delete("", "pods", "foo", (string)pod["metadata"]!["name"]!);
        }

        Assert.Empty(sim1.List("", "pods", "foo"));

        var own = await JsonAsync(await api.PutAsJsonAsync($"/api/v1/clusters/{s.Consumer}/probe-pod", new { ownPod = true }));
        Assert.Equal(ProbePod.Namespace, (string?)own["effectiveNamespace"]);
        var deployed = await Eventually.ReturnsAsync(() => Task.FromResult(sim1.Get("", "pods", ProbePod.Namespace, ProbePod.Name)),
            p => p is not null, "MeshPortal's probe pod to be applied");
        Assert.Contains(deployed!["spec"]!["containers"]!.AsArray(), c => (string?)c!["name"] == "istio-proxy");
        Assert.Equal("meshportal", (string?)deployed["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("enabled", (string?)sim1.Get("", "namespaces", null, ProbePod.Namespace)!["metadata"]!["labels"]!["istio-injection"]);

        var ok = await s.ProbeUntilAsync(ProbeStatus.Ok);
        Assert.Equal(200, ok.HttpStatus);

        // "Probe now" for this one export: 202, and the stored result is refreshed.
        var before = await ObservedAtAsync(s.ConsumerId);
        var accepted = await api.PostAsync($"/api/v1/exports/{s.ExportId}/probe", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await Eventually.ReturnsAsync(() => ObservedAtAsync(s.ConsumerId), t => t > before, "the export's result to be refreshed by 'probe now'");
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/exports/987654/probe", null)).StatusCode);

        // Off again: the namespace and pod are pruned, and with no sleep pod left the probe says so.
        await api.PutAsJsonAsync($"/api/v1/clusters/{s.Consumer}/probe-pod", new { ownPod = false });
        await Eventually.ReturnsAsync(() => Task.FromResult(sim1.Get("", "namespaces", null, ProbePod.Namespace)), n => n is null, "the probe namespace to be removed");
        Assert.Equal(ProbeStatus.ProbePodMissing, (await s.RunAsync()).Classification.Status);
    }

    [Fact]
    public async Task Canary_is_deployed_in_every_cluster_exported_probed_ok_and_removed()
    {
        await using var s = await ProbeScenario.StartAsync(portal, api, "can");
        var sim1 = s.Mesh["cluster-1"];
        var sim2 = s.Mesh["cluster-2"];
        var canaryHost = CanaryNames.Host(s.Exporter);
        try
        {
            var on = await api.PutAsJsonAsync("/api/v1/settings/canary", new { enabled = true });
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
            Assert.True((bool)(await JsonAsync(await api.GetAsync("/api/v1/settings/canary")))["enabled"]!);

            await Eventually.ReturnsAsync(() => Task.FromResult(sim2.Get("", "pods", CanaryNames.Namespace, CanaryNames.PodName)),
                p => p is not null, "the canary pod in the exporting cluster");
            await Eventually.ReturnsAsync(() => Task.FromResult(sim2.Get("", "services", CanaryNames.Namespace, CanaryNames.Service(s.Exporter))),
                svc => svc is not null, "the exporter's canary Service (applied in the same push, after the pod)");
            // Each cluster is pushed by its own job: the consumer's canary may arrive a moment later.
            await Eventually.ReturnsAsync(() => Task.FromResult(sim1.Get("", "services", CanaryNames.Namespace, CanaryNames.Service(s.Consumer))),
                svc => svc is not null, "the consumer's own canary Service");

            // Exported to the other cluster like any export: the consumer's probe of the canary host turns Ok.
            var record = await Eventually.ReturnsAsync(async () =>
                {
                    await using var scope = portal.Services.CreateAsyncScope();
                    var records = await scope.ServiceProvider.GetRequiredService<ProbeRunner>().RunClusterAsync(s.ConsumerId, CancellationToken.None);
                    return records.FirstOrDefault(r => r.Target.Host == canaryHost);
                },
                r => r?.Classification.Status == ProbeStatus.Ok, $"an Ok probe of {canaryHost} from {s.Consumer}", TimeSpan.FromSeconds(60));
            Assert.Equal(200, record!.HttpStatus);
            var exports = await JsonAsync(await api.GetAsync("/api/v1/exports"));
            Assert.Contains(canaryHost, exports.ToJsonString());
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/canary", new { enabled = false });
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(sim2.Get("", "namespaces", null, CanaryNames.Namespace)), n => n is null, "the canary namespace to be removed");
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Exports.AnyAsync(e => e.CreatedBy == CanaryNames.Actor));
    }

    private async Task<DateTimeOffset> ObservedAtAsync(int consumerId)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return (await db.ProbeResults.Where(r => r.SourceClusterId == consumerId).ToListAsync()).Single().ObservedAt;
    }
}
