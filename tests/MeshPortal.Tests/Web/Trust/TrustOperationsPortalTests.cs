using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator;

namespace MeshPortal.Tests.Web.Trust;

/// <summary>
/// Expiry metrics, the rotation API, issuance progress and "restart istiod" through the real portal and simulator. Each
/// test registers a cluster of its own simulated mesh, so that pushes still running after it ends never touch the shared one.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class TrustOperationsPortalTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Metrics_ShowRootAndIntermediateSecondsToExpiry_AndWarningLevels()
    {
        await PortalApi.EnsureRootAsync(api);
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-met");
        try
        {
            var text = await Eventually.ReturnsAsync(() => api.GetStringAsync("/metrics"),
                t => t.Contains($"meshportal_trust_intermediate_expiry_seconds{{cluster=\"{cluster}\"}}", StringComparison.Ordinal),
                "the intermediate's expiry gauge", TimeSpan.FromSeconds(30));
            var rootSeconds = Value(text, "meshportal_trust_root_expiry_seconds{state=\"active\"");
            Assert.InRange(rootSeconds, 60 * 86400, 3651 * 86400.0);
            var intermediateSeconds = Value(text, $"meshportal_trust_intermediate_expiry_seconds{{cluster=\"{cluster}\"}}");
            Assert.InRange(intermediateSeconds, 60 * 86400, rootSeconds);
            Assert.Equal(0, Value(text, "meshportal_trust_expiry_warning_level{kind=\"root\",name=\"active\"}"));
            Assert.Equal(0, Value(text, $"meshportal_trust_expiry_warning_level{{kind=\"intermediate\",name=\"{cluster}\"}}"));
            Assert.Contains("# HELP meshportal_trust_expiry_warning_level", text);
            Assert.DoesNotContain("PRIVATE", text);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }

        var after = await Eventually.ReturnsAsync(() => api.GetStringAsync("/metrics"),
            t => !t.Contains($"cluster=\"{cluster}\"", StringComparison.Ordinal), "the removed cluster's gauges to disappear", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain($"name=\"{cluster}\"", after);
    }

    [Fact]
    public async Task RotationApi_PreviewsEachStep_RefusesOutOfOrder_AndWalksAllThreePhases()
    {
        await PortalApi.EnsureRootAsync(api);
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-rot");
        try
        {
            var plan = await PortalApi.JsonAsync(await api.GetAsync("/api/v1/trust/rotation"));
            Assert.Equal("start", (string?)plan["nextStep"]);
            Assert.Equal("None", (string?)plan["phase"]);
            var mine = plan["changes"]!.AsArray().Single(c => (string?)c!["cluster"] == cluster)!;
            Assert.StartsWith("adds the next root beside", (string?)mine["rootCert"]);
            Assert.Equal("unchanged", (string?)mine["caCert"]);

            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync("/api/v1/trust/rotation/switch", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync("/api/v1/trust/rotation/finish", null)).StatusCode);
            var bogus = await api.PostAsync("/api/v1/trust/rotation/sideways", null);
            Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
            Assert.Equal("application/problem+json", bogus.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient(token: null).PostAsync("/api/v1/trust/rotation/start", null)).StatusCode);
            Assert.Equal("None", (string?)(await PortalApi.JsonAsync(await api.GetAsync("/api/v1/trust")))["rotation"]);

            var start = await api.PostAsJsonAsync("/api/v1/trust/rotation/start", new { keyType = "EcdsaP256" });
            var started = await PortalApi.JsonAsync(start);
            Assert.True(start.StatusCode == HttpStatusCode.OK, started.ToJsonString());
            Assert.Equal("switch", (string?)started["rotation"]!["nextStep"]);
            Assert.Equal("new key; re-issued by the next root",
                (string?)started["rotation"]!["changes"]!.AsArray().Single(c => (string?)c!["cluster"] == cluster)!["caCert"]);
            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync("/api/v1/trust/rotation/start", null)).StatusCode);
            var bundle = await api.GetStringAsync("/api/v1/trust/root-cert.pem");
            Assert.Equal(2, bundle.Split("BEGIN CERTIFICATE").Length - 1);

            // Switch and finish wait until every proxy restarted onto the current cacerts (istiod 1.6.8 first): 409 naming the cluster;
            // the walk through the phases goes on with the audited override.
            var gated = await api.PostAsync("/api/v1/trust/rotation/switch", null);
            Assert.Equal(HttpStatusCode.Conflict, gated.StatusCode);
            Assert.Contains(cluster, await gated.Content.ReadAsStringAsync());
            var switched = await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/trust/rotation/switch", new { @override = true }));
            Assert.Equal("finish", (string?)switched["rotation"]!["nextStep"]);
            Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync("/api/v1/trust/rotation/finish", null)).StatusCode);
            var finished = await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/trust/rotation/finish", new { @override = true }));
            Assert.Equal("start", (string?)finished["rotation"]!["nextStep"]);
            Assert.Equal(1, (await api.GetStringAsync("/api/v1/trust/root-cert.pem")).Split("BEGIN CERTIFICATE").Length - 1);

            var issuance = await PortalApi.JsonAsync(await api.GetAsync("/api/v1/trust/issuance"));
            Assert.False((bool?)issuance["running"]);
            Assert.Equal((int?)issuance["total"], (int?)issuance["done"]);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }

    [Fact]
    public async Task RestartIstiod_SetsTheRolloutRestartAnnotation_OnIstiodsPodTemplate()
    {
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1 });
        var sim = mesh["cluster-1"];
        var cluster = await PortalApi.RegisterAsync(api, sim, "trust-rst");
        try
        {
            var before = DateTimeOffset.UtcNow.AddSeconds(-1);
            var response = await api.PostAsync($"/api/v1/trust/clusters/{cluster}/restart-istiod", null);
            var body = await PortalApi.JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            Assert.Contains("restarting", (string?)body["message"]);

            var istiod = sim.Get("apps", "deployments", "istio-system", "istiod")!;
            var stamp = (string?)istiod["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"];
            Assert.NotNull(stamp);
            Assert.True(DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture) >= before.AddSeconds(-1), stamp);
            Assert.NotNull(istiod["spec"]!["template"]!["spec"]!["containers"]); // a merge of one field: the rest of the deployment is intact
            Assert.Null(istiod["metadata"]!["labels"]?["app.kubernetes.io/managed-by"]);

            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/trust/clusters/no-such-cluster/restart-istiod", null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await portal.CreateClient(token: null).PostAsync($"/api/v1/trust/clusters/{cluster}/restart-istiod", null)).StatusCode);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }

    [Fact]
    public async Task RolloutApi_RefusesWhatWouldBreakTraffic_ChangesNothing_AndAuditsTheOverride()
    {
        await PortalApi.EnsureRootAsync(api);
        await using var selfSigned = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1 });
        await using var seeded = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { CacertsAtInstall = true } });
        var cluster = await PortalApi.RegisterAsync(api, selfSigned["cluster-1"], "trust-api-ss");
        var plugged = await PortalApi.RegisterAsync(api, seeded["cluster-1"], "trust-api-pl");
        try
        {
            var rollout = await Eventually.ReturnsAsync(async () => await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{cluster}/rollout")),
                r => (string?)r["livePhase"] == "Bundle", "phase 1 (bundle) to be pushed", TimeSpan.FromSeconds(40));
            Assert.Equal("Bundle", (string?)rollout["phase"]);
            Assert.Equal("Intermediate", (string?)rollout["nextPhase"]);
            Assert.Equal("RestartIstiod", (string?)rollout["step"]);
            Assert.False((bool)rollout["canAdvance"]!);

            // The gate is closed: advancing and restarting gateways before istiod are refused with the reason, and nothing changes.
            var advance = await api.PostAsJsonAsync($"/api/v1/trust/clusters/{cluster}/advance", new { });
            Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
            Assert.Contains("is not rolled out", await advance.Content.ReadAsStringAsync());
            var gateways = await api.PostAsync($"/api/v1/trust/clusters/{cluster}/restart-gateways", null);
            Assert.Equal(HttpStatusCode.Conflict, gateways.StatusCode);
            Assert.Contains("Restart istiod", await gateways.Content.ReadAsStringAsync());
            Assert.Null(selfSigned["cluster-1"].Get("apps", "deployments", "istio-system", "istio-ingressgateway")!["spec"]!["template"]!["metadata"]!["annotations"]?["kubectl.kubernetes.io/restartedAt"]);
            Assert.Equal("Bundle", (string?)(await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{cluster}/rollout")))["phase"]);

            // A mesh installed with cacerts (plugged from the start) is no root transition.
            var none = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{plugged}/rollout"));
            Assert.Null((string?)none["phase"]);
            var noTransition = await api.PostAsJsonAsync($"/api/v1/trust/clusters/{plugged}/advance", new { });
            Assert.Equal(HttpStatusCode.Conflict, noTransition.StatusCode);
            Assert.Contains("not in a root transition", await noTransition.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/trust/clusters/no-such-cluster/rollout")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/trust/clusters/no-such-cluster/advance", new { })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/trust/clusters/no-such-cluster/restart-gateways", null)).StatusCode);
            var anonymous = portal.CreateClient(token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/trust/clusters/{cluster}/advance", new { @override = true })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/trust/clusters/{cluster}/rollout")).StatusCode);

            // An admin overrides the gate: the phase moves on, and the audit log says it was an override.
            var forced = await api.PostAsJsonAsync($"/api/v1/trust/clusters/{cluster}/advance", new { @override = true });
            Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
            Assert.Contains("gate overridden", await forced.Content.ReadAsStringAsync());
            Assert.Equal("Intermediate", (string?)(await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{cluster}/rollout")))["phase"]);
            var audit = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?action=trust.transition_advanced&q={cluster}"));
            var entries = audit["items"]!.AsArray().Where(i => (string?)i!["target"] == cluster).ToList();
            Assert.True(entries.Any(e => (string?)e!["outcome"] == "success" && JsonNode.Parse((string)e["after"]!)!["override"]?.GetValue<bool>() == true), audit.ToJsonString());
            Assert.True(entries.Any(e => (string?)e!["outcome"] == "failed"), audit.ToJsonString()); // the refused advance is audited too
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
            await api.DeleteAsync($"/api/v1/clusters/{plugged}");
        }
    }

    private static double Value(string metrics, string prefix)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starting with {prefix}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
