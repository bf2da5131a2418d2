using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Simulator;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Two Istio 1.24 primaries (distinct cluster IDs, one mesh ID, installed with cacerts from one root) through the real portal:
/// MeshPortal mints each cluster's reader token, writes the remote secrets, and an export of a service that only runs in
/// mp2 becomes reachable from mp1 by its own name; a deleted reader token is re-minted and the secrets replaced.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class MultiPrimaryEndToEndTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Remote_secrets_are_minted_and_an_export_is_reachable_by_its_own_name()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "mp1", IstioVersion = "1.24.0", ClusterId = "mp1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "mp2", IstioVersion = "1.24.0", ClusterId = "mp2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var mp1 = mesh["mp1"];
        var mp2 = mesh["mp2"];
        // A service that runs only in mp2.
        AddWebService(mp2);

        var one = await RegisterAsync(api, mesh, "mp1", "mp1");
        var two = await RegisterAsync(api, mesh, "mp2", "mp2");
        int? id = null;
        try
        {
            // Each primary holds the other's remote secret, carrying the other's reader token (never MeshPortal's credential).
            var secretIn1 = await Eventually.ReturnsAsync(() => Task.FromResult(mp1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("mp2"))),
                s => s is not null, "mp1 to hold the remote secret for mp2", TimeSpan.FromSeconds(60));
            Assert.Equal("true", (string?)secretIn1!["metadata"]!["labels"]![RemoteSecrets.MultiClusterLabel]);
            var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String((string)secretIn1["data"]!["mp2"]!));
            Assert.Contains(mp2.Server.ToString().TrimEnd('/'), kubeconfig);
            Assert.DoesNotContain(mp2.Token, kubeconfig);
            var readerToken = TokenOf(mp2);
            Assert.Contains(readerToken, kubeconfig);
            await Eventually.ReturnsAsync(() => Task.FromResult(mp2.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("mp1"))),
                s => s is not null, "mp2 to hold the remote secret for mp1", TimeSpan.FromSeconds(60));

            // Before the export, mp1 cannot even resolve the name.
            var (before, beforeOut) = await CurlFromSleepAsync(mp1, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "web.bar.svc.cluster.local:8000/headers");
            Assert.True(before != 0, $"exit {before}: {beforeOut}");

            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            id = (int)export["id"]!;
            var consumer = await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]![0]!,
                c => (string?)c["state"] == "Synced", "the multi-primary consumer to show Synced", TimeSpan.FromSeconds(60));
            Assert.Contains("Multi-primary", (string?)consumer["message"]);

            // The API gives the name the consumer calls, the source cluster and what the consumer list means (no restriction).
            var shown = await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}"));
            Assert.Equal("web.bar.global", (string?)shown["host"]);
            var name = Assert.Single(shown["consumerNames"]!.AsArray());
            Assert.Equal((one, "web.bar.svc.cluster.local", "multi-primary"), ((string?)name!["cluster"], (string?)name["host"], (string?)name["model"]));
            Assert.Equal([two], shown["sourceClusters"]!.AsArray().Select(s => (string?)s));
            Assert.Contains("does not restrict traffic", (string?)shown["consumersMean"]);

            // The selector-less Service gives mp1 the name; mp1's istiod finds the endpoints in mp2 through the remote secret.
            Assert.NotNull(mp1.Get("", "services", "bar", "web"));
            var (exit, output) = await Eventually.ReturnsAsync(() => CurlFromSleepAsync(mp1, "-sI", "web.bar.svc.cluster.local:8000/headers"),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl by the service's own name from mp1");
            Assert.Contains("200 OK", output);

            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
            await Eventually.ReturnsAsync(async () => ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
                    .Any(r => (string?)r!["source"] == one && (string?)r["host"] == "web.bar.svc.cluster.local" && (string?)r["status"] == "Ok"),
                ok => ok, "an Ok probe of web.bar.svc.cluster.local from mp1", TimeSpan.FromSeconds(90));

            // Someone deletes mp2's reader token Secret (which revokes the token): the next push mints a new one and mp1's
            // remote secret is replaced with it.
            mp2.Delete("", "secrets", "istio-system", RemoteSecrets.ReaderTokenSecret);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{two}/sync", null)).IsSuccessStatusCode);
            var renewed = await Eventually.ReturnsAsync(() => Task.FromResult(mp1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("mp2"))),
                s => s is not null && !Encoding.UTF8.GetString(Convert.FromBase64String((string)s["data"]!["mp2"]!)).Contains(readerToken, StringComparison.Ordinal),
                "mp1's remote secret for mp2 to carry the new token", TimeSpan.FromSeconds(60));
            Assert.Contains(TokenOf(mp2), Encoding.UTF8.GetString(Convert.FromBase64String((string)renewed!["data"]!["mp2"]!)));

            // Unexport: the Service MeshPortal created is pruned and the name no longer resolves in mp1.
            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/exports/{id}")).StatusCode);
            id = null;
            await Eventually.ReturnsAsync(() => Task.FromResult(mp1.Get("", "services", "bar", "web")), s => s is null, "the consumer Service to be pruned");
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    [Fact]
    public async Task Two_networks_meet_through_east_west_gateways_and_what_is_removed_by_hand_is_healed()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "nw1", IstioVersion = "1.24.0", ClusterId = "nw1", MeshId = "mesh1", Network = "net1", GlobalNetwork = "net1", EastWestGateway = true, CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "nw2", IstioVersion = "1.24.0", ClusterId = "nw2", MeshId = "mesh1", Network = "net2", GlobalNetwork = "net2", EastWestGateway = true, CacertsAtInstall = true },
            ],
        });
        var nw1 = mesh["nw1"];
        var nw2 = mesh["nw2"];
        AddWebService(nw2);

        var one = await RegisterOnNetworkAsync(mesh, "nw1", "net1");
        var two = await RegisterOnNetworkAsync(mesh, "nw2", "net2");
        int? id = null;
        try
        {
            // MeshPortal labels istio-system with the network it was registered on and opens the east-west gateways.
            await Eventually.ReturnsAsync(() => Task.FromResult((string?)nw2.Get("", "namespaces", null, "istio-system")!["metadata"]!["labels"]?["topology.istio.io/network"]),
                n => n == "net2", "the network label on nw2", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => Task.FromResult(nw2.Get("networking.istio.io", "gateways", "istio-system", MultiPrimaryPlanner.CrossNetworkGatewayName)),
                g => g is not null, "the cross-network Gateway on nw2", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => Task.FromResult(nw1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("nw2"))),
                s => s is not null, "nw1 to hold the remote secret for nw2", TimeSpan.FromSeconds(60));

            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            id = (int)export["id"]!;
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(nw1, "-sI", "web.bar.svc.cluster.local:8000/headers"),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl across networks from nw1", TimeSpan.FromSeconds(60));

            // Remove pieces by hand: the cross-network Gateway, then the remote secret. Traffic breaks; the next sync heals both.
            nw2.Delete("networking.istio.io", "gateways", "istio-system", MultiPrimaryPlanner.CrossNetworkGatewayName);
            nw1.Delete("", "secrets", "istio-system", RemoteSecrets.SecretName("nw2"));
            var (broken, brokenOut) = await CurlFromSleepAsync(nw1, "-sI", "web.bar.svc.cluster.local:8000/headers");
            Assert.False(broken == 0 && brokenOut.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), brokenOut);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{one}/sync", null)).IsSuccessStatusCode);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{two}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(nw1, "-sI", "web.bar.svc.cluster.local:8000/headers"),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "traffic to come back after the sync heals", TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    [Fact]
    public async Task Revoked_reader_tokens_show_as_unsynced_remote_clusters_and_alert()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "rs1", IstioVersion = "1.24.0", ClusterId = "rs1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "rs2", IstioVersion = "1.24.0", ClusterId = "rs2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var one = await RegisterAsync(api, mesh, "rs1", "rs1");
        var two = await RegisterAsync(api, mesh, "rs2", "rs2");
        var status = portal.Services.GetRequiredService<RemoteClusterStatus>();
        try
        {
            await Eventually.ReturnsAsync(() => status.ReadAsync(one, CancellationToken.None),
                r => r is { Problem: null } && r.Rows.Any(x => x.PeerName == two && x.Synced), "rs1's istiod to sync rs2", TimeSpan.FromSeconds(60));

            // rs2's reader tokens stop working: rs1's istiod loses it, the recurring check records why, and an alert fires.
            mesh["rs2"].Faults.ReaderTokensRevoked = true;
            var report = await Eventually.ReturnsAsync(() => status.ReadAsync(one, CancellationToken.None),
                r => r is not null && r.Rows.Any(x => x.PeerName == two && !x.Synced), "rs1's istiod to report rs2 unsynced", TimeSpan.FromSeconds(90));
            Assert.Contains("reader token", report!.Rows.First(x => x.PeerName == two).Explanation);
            await status.AfterCheckAsync(one, CancellationToken.None);
            Assert.True((await api.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
            var alerts = await JsonAsync(await api.GetAsync($"/api/v1/alerts?rule=MeshPortalRemoteClusterSyncBroken&cluster={one}"));
            var alert = Assert.Single(alerts.AsArray());
            Assert.Contains(two, (string?)alert!["cause"]);

            // Healed: the next check clears it and the alert resolves.
            mesh["rs2"].Faults.ReaderTokensRevoked = false;
            await Eventually.ReturnsAsync(() => status.ReadAsync(one, CancellationToken.None),
                r => r is not null && r.Rows.All(x => x.Synced), "rs1's istiod to sync rs2 again", TimeSpan.FromSeconds(90));
            await status.AfterCheckAsync(one, CancellationToken.None);
            Assert.True((await api.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
            var after = await JsonAsync(await api.GetAsync($"/api/v1/alerts?rule=MeshPortalRemoteClusterSyncBroken&cluster={one}&state=active"));
            Assert.Empty(after.AsArray());
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    [Fact]
    public async Task The_peer_api_server_setting_goes_into_the_remote_secrets_and_bad_values_change_nothing()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "pe1", IstioVersion = "1.24.0", ClusterId = "pe1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "pe2", IstioVersion = "1.24.0", ClusterId = "pe2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var one = await RegisterAsync(api, mesh, "pe1", "pe1");
        var two = $"pe2-{Guid.NewGuid().ToString("N")[..6]}";
        try
        {
            var refused = await api.PostAsJsonAsync("/api/v1/clusters", new { name = two, kubeconfig = mesh["pe2"].KubeconfigYaml, context = "pe2", peerApiServer = "http://10.0.0.2:6443" });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("peerApiServer", await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/clusters/{two}")).StatusCode);

            // The address pe1's istiod must dial for pe2 (here the same API server under another name: the value is what counts).
            var peer = mesh["pe2"].Server.ToString().TrimEnd('/').Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
            var created = await api.PostAsJsonAsync("/api/v1/clusters", new { name = two, kubeconfig = mesh["pe2"].KubeconfigYaml, context = "pe2", peerApiServer = peer });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            Assert.Equal(peer, (string?)(await JsonAsync(created))["peerApiServer"]);
            var secret = await Eventually.ReturnsAsync(() => Task.FromResult(mesh["pe1"].Get("", "secrets", "istio-system", RemoteSecrets.SecretName("pe2"))),
                s => s is not null, "pe1 to hold the remote secret for pe2", TimeSpan.FromSeconds(60));
            Assert.Contains($"server: {peer}", Encoding.UTF8.GetString(Convert.FromBase64String((string)secret!["data"]!["pe2"]!)));
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    [Fact]
    public async Task A_revoked_reader_token_is_detected_re_minted_and_the_secrets_carrying_it_replaced_never_with_the_portals_credential()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "rv1", IstioVersion = "1.24.0", ClusterId = "rv1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "rv2", IstioVersion = "1.24.0", ClusterId = "rv2", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "rv3", IstioVersion = "1.24.0", ClusterId = "rv3", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        string[] ids = ["rv1", "rv2", "rv3"];
        var names = new Dictionary<string, string>();
        foreach (var simulated in ids)
        {
            names[simulated] = await RegisterAsync(api, mesh, simulated, simulated);
        }

        try
        {
            // Every primary holds a remote secret for each other one, carrying exactly that peer's reader token and never any
            // credential MeshPortal itself uses (the tokens of the kubeconfigs it was registered with).
            var portalTokens = ids.Select(i => mesh[i].Token).ToList();
            foreach (var holder in ids)
            {
                foreach (var peer in ids.Where(p => p != holder))
                {
                    var secret = await Eventually.ReturnsAsync(() => Task.FromResult(mesh[holder].Get("", "secrets", "istio-system", RemoteSecrets.SecretName(peer))),
                        s => s is not null && KubeconfigToken(s, peer) == TokenOf(mesh[peer]), $"{holder} to hold {peer}'s reader token", TimeSpan.FromSeconds(60));
                    var token = KubeconfigToken(secret!, peer);
                    Assert.DoesNotContain(token, portalTokens);
                    Assert.All(portalTokens, t => Assert.DoesNotContain(t, Encoding.UTF8.GetString(Convert.FromBase64String((string)secret!["data"]![peer]!)), StringComparison.Ordinal));
                }
            }

            // rv2's reader token stops working while its Secret stays (as after the API server's signing key was rotated). Seen by
            // the keeper after the token's freshness window: it is detected, the Secret is re-created, and once the new token works
            // the secrets carrying it are replaced in rv1 and rv3.
            var old = TokenOf(mesh["rv2"]);
            mesh["rv2"].Faults.ReaderTokensRevoked = true;
            var later = ActivatorUtilities.CreateInstance<ReaderTokenService>(portal.Services, new Later(TimeSpan.FromMinutes(10)));
            var two = names["rv2"];
            using (var scope = portal.Services.CreateScope())
            {
                using var db = scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MeshPortal.Core.Platform.Persistence.MeshPortalDbContext>>().CreateDbContext();
                var id = db.Clusters.Single(c => c.Name == two).Id;
                Assert.Equal(ReaderTokenService.Outcome.RevokedAndReplaced, await later.RefreshAsync(id, CancellationToken.None));
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["rv2"].Get("", "secrets", "istio-system", RemoteSecrets.ReaderTokenSecret)),
                s => s is not null && Encoding.UTF8.GetString(Convert.FromBase64String((string)s["data"]!["token"]!)) != old, "rv2's token Secret to be re-created with a new token", TimeSpan.FromSeconds(60));
            mesh["rv2"].Faults.ReaderTokensRevoked = false;
            Assert.True((await api.PostAsync($"/api/v1/clusters/{two}/sync", null)).IsSuccessStatusCode);
            var renewed = TokenOf(mesh["rv2"]);
            Assert.NotEqual(old, renewed);
            foreach (var holder in new[] { "rv1", "rv3" })
            {
                await Eventually.ReturnsAsync(() => Task.FromResult(mesh[holder].Get("", "secrets", "istio-system", RemoteSecrets.SecretName("rv2"))),
                    s => s is not null && KubeconfigToken(s, "rv2") == renewed, $"{holder}'s remote secret for rv2 to carry the re-minted token", TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            foreach (var name in names.Values)
            {
                await api.DeleteAsync($"/api/v1/clusters/{name}");
            }
        }
    }

    /// <summary>The token line of the kubeconfig a remote secret carries for one cluster.</summary>
    private static string KubeconfigToken(JsonObject secret, string clusterId) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![clusterId]!)).Split('\n')
            .Select(l => l.Trim()).Single(l => l.StartsWith("token:", StringComparison.Ordinal))["token:".Length..].Trim().Trim('"');

    /// <summary>The system clock, some time ahead.</summary>
    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + by;
    }

    private async Task<string> RegisterOnNetworkAsync(SimulatedMesh mesh, string simulated, string network)
    {
        var name = $"{simulated}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = mesh[simulated].KubeconfigYaml, context = simulated, network });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    private static string TokenOf(SimulatedCluster cluster) => Encoding.UTF8.GetString(Convert.FromBase64String(
        (string)cluster.Get("", "secrets", "istio-system", RemoteSecrets.ReaderTokenSecret)!["data"]!["token"]!));
}
