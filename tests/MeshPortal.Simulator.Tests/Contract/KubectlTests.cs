using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>The real kubectl (gcloud dispatcher) against the simulator: discovery, short names, get, apply --server-side, delete.</summary>
public sealed class KubectlTests(MeshFixture fx) : IClassFixture<MeshFixture>
{
    private readonly Kubectl _kubectl = new(fx);

    [KubectlFact]
    public async Task Get_namespaces_by_short_name()
    {
        var output = await _kubectl.OkAsync("--context", "cluster-1", "get", "ns");
        foreach (var ns in new[] { "default", "kube-system", "istio-system", "foo", "bar" })
        {
            Assert.Contains(ns, output);
        }
    }

    [KubectlFact]
    public async Task Get_pods_in_all_namespaces_on_another_context()
    {
        var output = await _kubectl.OkAsync("--context", "cluster-2", "get", "pods", "-A");
        Assert.Contains("sleep-", output);
        Assert.Contains("httpbin-", output);
        Assert.Contains("istio-ingressgateway-", output);
        var jsonpath = await _kubectl.OkAsync("--context", "cluster-2", "get", "pod", "-n", "foo", "-l", "app=sleep", "-o", "jsonpath={.items..metadata.name}");
        Assert.StartsWith("sleep-", jsonpath);
        var gw = await _kubectl.OkAsync("--context", "cluster-2", "get", "svc", "--selector=app=istio-ingressgateway", "-n", "istio-system",
            "-o", "jsonpath={.items[0].status.loadBalancer.ingress[0].ip}");
        Assert.Equal("203.0.113.2", gw);
    }

    [KubectlFact]
    public async Task Apply_server_side_with_default_validation_then_get_and_delete()
    {
        var file = Path.Combine(fx.TempDirectory, "se.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata:
              name: httpbin-bar
              namespace: foo
            spec:
              hosts:
              - httpbin.bar.global
              location: MESH_INTERNAL
              ports:
              - name: http1
                number: 8000
                protocol: http
              resolution: DNS
              addresses:
              - 240.0.0.2
              endpoints:
              - address: 203.0.113.2
                ports:
                  http1: 15443
            """);
        Assert.Contains("serverside-applied", await _kubectl.OkAsync("--context", "cluster-1", "apply", "--server-side", "-f", file));
        Assert.Equal("kubectl", (string?)fx.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "foo", "httpbin-bar")!
            ["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Contains("httpbin-bar", await _kubectl.OkAsync("--context", "cluster-1", "get", "se", "-A"));

        var bad = await _kubectl.RunAsync("--context", "cluster-1", "apply", "--server-side", "-f", "-");
        Assert.NotEqual(0, bad.ExitCode);

        Assert.Contains("deleted", await _kubectl.OkAsync("--context", "cluster-1", "delete", "-f", file));
        Assert.Null(fx.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "foo", "httpbin-bar"));
    }

    [KubectlFact]
    public async Task Invalid_service_entry_is_rejected_with_the_reason()
    {
        var file = Path.Combine(fx.TempDirectory, "bad-se.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: networking.istio.io/v1alpha3
            kind: ServiceEntry
            metadata:
              name: bad
              namespace: foo
            spec:
              hosts: ["*.example.com"]
              resolution: DNS
              ports:
              - name: http
                number: 80
            """);
        var result = await _kubectl.RunAsync("--context", "cluster-1", "apply", "--server-side", "-f", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("hosts must be FQDN", result.Stderr);
    }
}
