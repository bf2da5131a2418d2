using System.Net;
using k8s;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>pods/exec is routed through the API server's auth and faults to the exec endpoint (the exec protocol itself is tested elsewhere).</summary>
public sealed class ExecRouteTests(MeshFixture fx) : IClassFixture<MeshFixture>
{
    [Fact]
    public async Task Seed_curl_without_a_service_entry_cannot_resolve_the_global_name()
    {
        using var client = fx.Client();
        var pod = (await client.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=sleep")).Items.Single().Metadata.Name;
        var exit = await client.NamespacedPodExecAsync(pod, "foo", "sleep", ["curl", "-sI", "httpbin.bar.global:8000/headers"], false,
            (_, _, _) => Task.CompletedTask, CancellationToken.None);
        Assert.Equal(6, exit);
    }

    [Fact]
    public async Task Exec_into_a_missing_pod_is_404()
    {
        var cluster = fx.Mesh["cluster-1"];
        using var http = TestHttp.For(cluster);
        var response = await http.GetAsync(new Uri(cluster.Server, "/api/v1/namespaces/foo/pods/nope/exec?command=true&stdout=1"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("pods \\\"nope\\\" not found", await response.Content.ReadAsStringAsync());
    }
}
