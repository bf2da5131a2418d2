using System.Net.Http.Headers;
using System.Text;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>One cluster per Istio release the admission rules change on (each with the Kubernetes version it ships with), plus 1.15/1.16 API servers.</summary>
public sealed class AdmissionMeshFixture : MeshFixture
{
    protected override SimulatorOptions Options() => new()
    {
        Clusters = 0,
        AdminEndpoint = false,
        ClusterOverrides =
        [
            new SimulatedClusterOptions { Name = "istio-1-6", IstioVersion = "1.6.8" },
            new SimulatedClusterOptions { Name = "istio-1-9", IstioVersion = "1.9.5" },
            new SimulatedClusterOptions { Name = "istio-1-18", IstioVersion = "1.18.0" },
            new SimulatedClusterOptions { Name = "istio-1-22", IstioVersion = "1.22.0" },
            new SimulatedClusterOptions { Name = "istio-1-24", IstioVersion = "1.24.0", McsCrdsInstalled = true },
            new SimulatedClusterOptions { Name = "istio-1-28", IstioVersion = "1.28.0" },
            new SimulatedClusterOptions { Name = "k8s-1-15", IstioVersion = "1.6.8", KubernetesVersion = "1.15.12" },
            new SimulatedClusterOptions { Name = "k8s-1-16", IstioVersion = "1.6.8", KubernetesVersion = "1.16.15" },
        ],
    };

    /// <summary>Sends a raw request (JSON or YAML body) to a cluster's API server.</summary>
    public async Task<HttpResponseMessage> SendAsync(string cluster, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var http = TestHttp.For(Mesh[cluster]);
        var request = new HttpRequestMessage(method, new Uri(Mesh[cluster].Server, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The texts of the Warning headers, unquoted as kubectl prints them.</summary>
    public static IReadOnlyList<string> Warnings(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Warning", out var values)
            ? [.. values.Select(v => v["299 - \"".Length..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal))]
            : [];
}
