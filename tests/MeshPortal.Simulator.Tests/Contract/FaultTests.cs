using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>Faults switched from C# and from the admin endpoint, observed through the real client.</summary>
public sealed class FaultTests(FaultTests.Fixture fx) : IClassFixture<FaultTests.Fixture>
{
    public sealed class Fixture : MeshFixture
    {
        protected override SimulatorOptions Options() => new() { Clusters = 4 };
    }

    [Fact]
    public async Task Error_status_fault_gives_500_then_heals()
    {
        var cluster = fx.Mesh["cluster-1"];
        using var client = fx.Client("cluster-1");
        cluster.Faults.ApiErrorStatus = 500;
        var status = await ApiAssert.FailsWith(HttpStatusCode.InternalServerError, () => client.CoreV1.ListNamespaceAsync());
        Assert.Equal("InternalError", (string?)status["reason"]);
        cluster.Faults.ApiErrorStatus = 503;
        Assert.Equal("ServiceUnavailable", (string?)(await ApiAssert.FailsWith(HttpStatusCode.ServiceUnavailable, () => client.CoreV1.ListNamespaceAsync()))["reason"]);
        cluster.Faults.Reset();
        Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Too_many_requests_fault_gives_429_with_retry_after()
    {
        var cluster = fx.Mesh["cluster-2"];
        cluster.Faults.TooManyRequests = true;
        try
        {
            using var http = TestHttp.For(cluster);
            var response = await http.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces"));
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("TooManyRequests", (string?)status["reason"]);
        }
        finally
        {
            cluster.Faults.Reset();
        }
    }

    [Fact]
    public async Task Latency_fault_delays_answers()
    {
        var cluster = fx.Mesh["cluster-3"];
        using var client = fx.Client("cluster-3");
        await client.CoreV1.ListNamespaceAsync();
        cluster.Faults.ApiLatency = TimeSpan.FromMilliseconds(400);
        var watch = Stopwatch.StartNew();
        await client.CoreV1.ListNamespaceAsync();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(380), $"took {watch.ElapsedMilliseconds} ms");
        cluster.Faults.Reset();
    }

    [Fact]
    public async Task Api_down_resets_connections_and_comes_back()
    {
        var cluster = fx.Mesh["cluster-4"];
        using (var warm = fx.Client("cluster-4"))
        {
            await warm.CoreV1.ListNamespaceAsync();
            cluster.Faults.ApiDown = true;

            // A kept-alive connection is aborted too.
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => warm.CoreV1.ListNamespaceAsync());
        }

        using (var fresh = fx.Client("cluster-4"))
        {
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => fresh.CoreV1.ListNamespaceAsync());
        }

        cluster.Faults.ApiDown = false;
        using var healed = fx.Client("cluster-4");
        Assert.NotEmpty((await healed.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Admin_endpoint_lists_clusters_and_switches_faults()
    {
        using var http = new HttpClient { BaseAddress = fx.Mesh.AdminEndpoint };
        var clusters = JsonNode.Parse(await http.GetStringAsync("clusters"))!.AsArray();
        Assert.Equal(["cluster-1", "cluster-2", "cluster-3", "cluster-4"], clusters.Select(c => (string?)c!["name"]));
        Assert.Equal("203.0.113.1", (string?)clusters[0]!["gatewayLoadBalancerIp"]);

        var body = new StringContent("{\"gatewayDown\":true,\"dnsBroken\":true,\"execFails\":true,\"linkLatencyMs\":25}", Encoding.UTF8, "application/json");
        var response = await http.PostAsync("clusters/cluster-3/faults", body);
        response.EnsureSuccessStatusCode();
        var faults = fx.Mesh["cluster-3"].Faults;
        Assert.True(faults.GatewayDown && faults.DnsBroken && faults.ExecFails);
        Assert.Equal(TimeSpan.FromMilliseconds(25), faults.LinkLatency);
        MeshPortal.Simulator.Mesh.IMeshClusterView view = fx.Mesh["cluster-3"];
        Assert.True(view.GatewayDown && view.DnsBroken && view.ExecFails);

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("clusters/cluster-3/faults", new StringContent("{\"nope\":1}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("clusters/cluster-9/faults", new StringContent("{}"))).StatusCode);
        (await http.DeleteAsync("clusters/cluster-3/faults")).EnsureSuccessStatusCode();
        Assert.False(faults.GatewayDown || faults.DnsBroken || faults.ExecFails);
        Assert.Contains("contexts:", await http.GetStringAsync("kubeconfig"));
    }

    [Fact]
    public async Task Admin_endpoint_switches_the_mesh_faults_and_partitions()
    {
        using var http = new HttpClient { BaseAddress = fx.Mesh.AdminEndpoint };
        var body = new StringContent("{\"istiodDown\":true,\"eastWestGatewayDown\":true,\"readerTokensRevoked\":true}", Encoding.UTF8, "application/json");
        (await http.PostAsync("clusters/cluster-2/faults", body)).EnsureSuccessStatusCode();
        var faults = fx.Mesh["cluster-2"].Faults;
        Assert.True(faults.IstiodDown && faults.EastWestGatewayDown && faults.ReaderTokensRevoked);
        var istiod = fx.Mesh["cluster-2"].List("", "pods", "istio-system").Single(p => (string?)p["metadata"]!["labels"]!["app"] == "istiod");
        Assert.Equal("CrashLoopBackOff", (string?)istiod["status"]!["containerStatuses"]![0]!["state"]!["waiting"]!["reason"]);

        var cut = await http.PostAsync("partitions", new StringContent("{\"a\":\"net2\",\"b\":\"net1\"}", Encoding.UTF8, "application/json"));
        cut.EnsureSuccessStatusCode();
        Assert.Equal("""[{"a":"net1","b":"net2"}]""", JsonNode.Parse(await cut.Content.ReadAsStringAsync())!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("partitions", new StringContent("{\"a\":\"net1\",\"b\":\"net1\"}"))).StatusCode);

        (await http.DeleteAsync("faults")).EnsureSuccessStatusCode();
        Assert.Empty(fx.Mesh.Partitions);
        Assert.False(faults.IstiodDown || faults.EastWestGatewayDown || faults.ReaderTokensRevoked);
        istiod = fx.Mesh["cluster-2"].List("", "pods", "istio-system").Single(p => (string?)p["metadata"]!["labels"]!["app"] == "istiod");
        Assert.Equal("True", (string?)istiod["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!["status"]);
    }
}
