using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Hosting;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Discovery;

/// <summary>One cluster named by a remote secret, and whether istiod can read its API server.</summary>
internal sealed record RemoteCluster(string ClusterId, string SecretName, DateTimeOffset SecretCreated, SimulatedCluster? Target, string? Problem)
{
    public bool Connected => Problem is null && Target is not null;
}

/// <summary>
/// istiod's secret controller (<c>pkg/kube/multicluster/secretcontroller.go</c>): every Secret in istio-system labelled
/// <c>istio/multiCluster: "true"</c> names clusters by its data keys, each a kubeconfig. A key equal to istiod's own CLUSTER_ID is
/// ignored, as is a cluster ID already registered by another secret. istiod then lists the cluster's Services, Pods, Namespaces (and
/// ServiceExports) with that kubeconfig: its server must be a reachable API server whose CA matches <c>certificate-authority-data</c>,
/// and its token must be valid there with read access (the reader account, or an admin credential).
/// </summary>
internal static class RemoteClusters
{
    public static IReadOnlyList<RemoteCluster> Read(SimulatedMesh? mesh, ClusterSnapshot local, string ownClusterId, DateTimeOffset now)
    {
        var result = new List<RemoteCluster>();
        foreach (var secret in local.RemoteSecrets.OrderBy(s => s.Str("metadata", "creationTimestamp"), StringComparer.Ordinal).ThenBy(s => s.Name(), StringComparer.Ordinal))
        {
            var created = DateTimeOffset.TryParse(secret.Str("metadata", "creationTimestamp"), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var c) ? c : now;
            var data = secret.At("data") as JsonObject ?? new JsonObject();
            foreach (var (clusterId, value) in data)
            {
                if (clusterId == ownClusterId || result.Any(r => r.ClusterId == clusterId))
                {
                    continue;
                }

                var kubeconfig = Decode(value.Str());
                var (target, problem) = Connect(mesh, kubeconfig, now);
                result.Add(new RemoteCluster(clusterId, $"istio-system/{secret.Name()}", created, target, problem));
            }
        }

        return result;
    }

    /// <summary>What listing the remote cluster with this kubeconfig does: the target, or the error istiod would log.</summary>
    private static (SimulatedCluster? Target, string? Problem) Connect(SimulatedMesh? mesh, string? kubeconfig, DateTimeOffset now)
    {
        var doc = MeshConfigYaml.Parse(kubeconfig);
        if (doc is null)
        {
            return (null, "invalid kubeconfig: not a kubeconfig document");
        }

        var context = doc.Str("current-context");
        var ctx = doc.Objects("contexts").FirstOrDefault(c => c.Str("name") == context)?.At("context");
        var clusterEntry = doc.Objects("clusters").FirstOrDefault(c => c.Str("name") == ctx.Str("cluster"))?.At("cluster");
        var user = doc.Objects("users").FirstOrDefault(u => u.Str("name") == ctx.Str("user"))?.At("user");
        if (ctx is null || clusterEntry.Str("server") is not { } server)
        {
            return (null, $"invalid kubeconfig: context \"{context}\" does not name a cluster with a server");
        }

        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri))
        {
            return (null, $"invalid kubeconfig: server \"{server}\" is not a URL");
        }

        var target = mesh?.Clusters.FirstOrDefault(c =>
            string.Equals(c.Server.Host, uri.Host, StringComparison.OrdinalIgnoreCase) && c.Server.Port == uri.Port && uri.Scheme == "https");
        if (target is null)
        {
            return (null, $"Get \"{server.TrimEnd('/')}/api/v1/services\": dial tcp {uri.Host}:{uri.Port}: connect: connection refused");
        }

        if (target.Faults.ApiDown)
        {
            return (null, $"Get \"{server.TrimEnd('/')}/api/v1/services\": read tcp: connection reset by peer");
        }

        if (!TrustsServer(Decode(clusterEntry.Str("certificate-authority-data")), target))
        {
            return (null, $"Get \"{server.TrimEnd('/')}/api/v1/services\": tls: failed to verify certificate: x509: certificate signed by unknown authority");
        }

        var token = user.Str("token");
        if (token is null)
        {
            return (null, "the kubeconfig user has no token (the simulator's API servers accept bearer tokens)");
        }

        ApiCaller caller;
        if (token == target.Token)
        {
            caller = ApiCaller.Admin;
        }
        else if (target.Runtime.Tokens.Validate(token, now) is { } sa
                 && !(sa.ServiceAccount == "istio-reader-service-account" && target.Faults.ReaderTokensRevoked))
        {
            caller = new ApiCaller(sa);
        }
        else
        {
            return (null, "Unauthorized");
        }

        try
        {
            caller.Authorize("list", "", "pods", null);
            caller.Authorize("list", "", "services", null);
        }
        catch (Api.ApiException e)
        {
            return (null, e.Message);
        }

        return (target, null);
    }

    private static bool TrustsServer(string? caPem, SimulatedCluster target)
    {
        if (string.IsNullOrWhiteSpace(caPem))
        {
            return false;
        }

        try
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPem(caPem);
            return bundle.Any(c => c.Thumbprint == target.Certificates.CaCertificate.Thumbprint);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static string? Decode(string? b64)
    {
        if (b64 is null)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
