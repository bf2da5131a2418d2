using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Simulator.Tests.Support;

/// <summary>A raw HttpClient that trusts exactly the cluster's CA and sends its token.</summary>
public static class TestHttp
{
    public static HttpClient For(SimulatedCluster cluster, string? token = null)
    {
        var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, chain, errors) =>
            {
                if (cert is null || chain is null)
                {
                    return false;
                }

                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(cert);
            },
        };
        var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token ?? cluster.Token);
        return http;
    }
}
