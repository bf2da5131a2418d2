using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// The API server's proxy subresources, <c>/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}</c> and
/// <c>.../pods/{name[:port]}/proxy/{path}</c> (RBAC: get on services/proxy or pods/proxy). Behind them only istiod's monitoring port
/// 15014 answers (its debug handlers, <c>pilot/pkg/xds/debug.go</c>): <c>/debug/clusterz</c>, the list <c>istioctl
/// remote-clusters</c> prints, from Istio 1.11 — the config cluster and each remote-secret cluster with its sync status ("synced";
/// a cluster istiod cannot list stays "syncing", and from 1.14 turns "timeout" after PILOT_REMOTE_CLUSTER_TIMEOUT, 30 s). Other
/// paths there answer Go's <c>404 page not found</c>; any other target refuses the connection, since nothing else listens.
/// </summary>
internal static class ServiceProxy
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Handles the request when it is a proxy path; false otherwise.</summary>
    public static async Task<bool> TryHandleAsync(HttpContext ctx, SimulatedCluster cluster, string[] s, ApiCaller caller)
    {
        if (s is not ["api", "v1", "namespaces", var ns, "services" or "pods", var target, "proxy", .. var rest])
        {
            return false;
        }

        var kind = s[4];
        caller.Authorize("get", "", $"{kind}/proxy", ns);
        var (name, port) = ParseTarget(target, kind == "services");
        var snapshot = cluster.Snapshot();
        PodInfo? pod;
        int? podPort;
        if (kind == "services")
        {
            var service = snapshot.Service(ns, name) ?? throw new ApiException(404, "NotFound", $"services \"{name}\" not found", KubeStatus.Details(name, "", "services"));
            var servicePort = port is null ? service.Ports.FirstOrDefault()
                : service.Ports.FirstOrDefault(p => p.Name == port || p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port);
            pod = snapshot.Endpoints(service).FirstOrDefault(p => p.Ready);
            if (servicePort is null || pod is null)
            {
                throw new ApiException(503, "ServiceUnavailable", $"no endpoints available for service \"{target}\"");
            }

            podPort = servicePort.TargetFor(pod);
        }
        else
        {
            pod = snapshot.Pods.FirstOrDefault(p => p.Namespace == ns && p.Name == name)
                ?? throw new ApiException(404, "NotFound", $"pods \"{name}\" not found", KubeStatus.Details(name, "", "pods"));
            podPort = int.TryParse(port, out var n) ? n : null;
        }

        var raw = cluster.Get("", "pods", pod.Namespace, pod.Name);
        if (raw is null || !Controllers.IstiodController.IsIstiod(raw) || podPort != 15014 || !pod.Ready)
        {
            throw new ApiException(503, "ServiceUnavailable", $"error trying to reach service: dial tcp {pod.Ip}:{podPort}: connect: connection refused");
        }

        var path = "/" + string.Join('/', rest);
        if (path != "/debug/clusterz" || !IstioReleases.HasClusterz(cluster.Install.Version))
        {
            ctx.Response.StatusCode = 404;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync("404 page not found\n");
            return true;
        }

        var config = PushContexts.Live(cluster.Parent, cluster, pod.Revision);
        var run = cluster.Runtime.Istiod(pod.Revision);
        var body = Clusterz(config, run?.StartedAt ?? cluster.Time.GetUtcNow(), cluster.Time.GetUtcNow());
        var pretty = ctx.Request.Query.ContainsKey("pretty");
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(pretty ? PrettyJson : CompactJson));
        return true;
    }

    /// <summary><c>ListRemoteClusters</c>: the config cluster, then each cluster of each remote secret istiod accepted.</summary>
    public static JsonArray Clusterz(PushContext config, DateTimeOffset istiodStarted, DateTimeOffset now)
    {
        var result = new JsonArray(Entry(config.ClusterId, "", "synced"));
        foreach (var remote in config.Remotes.Where(r => r.Problem is null || !r.Problem.StartsWith("invalid kubeconfig", StringComparison.Ordinal)))
        {
            var since = remote.SecretCreated > istiodStarted ? remote.SecretCreated : istiodStarted;
            var status = remote.Connected ? "synced"
                : IstioReleases.ReportsSyncTimeout(config.Version) && now - since >= SyncTimeout ? "timeout"
                : "syncing";
            result.Add(Entry(remote.ClusterId, remote.SecretName, status));
        }

        return result;
    }

    private static JsonObject Entry(string id, string secret, string status) => new() { ["id"] = id, ["secretName"] = secret, ["syncStatus"] = status };

    /// <summary><c>[scheme:]name[:port]</c> (services) or <c>name[:port]</c> (pods).</summary>
    private static (string Name, string? Port) ParseTarget(string target, bool service)
    {
        var parts = Uri.UnescapeDataString(target).Split(':');
        return parts.Length switch
        {
            3 when service => (parts[1], parts[2]),
            2 when service && parts[0] is "http" or "https" => (parts[1], null),
            2 => (parts[0], parts[1]),
            _ => (parts[0], null),
        };
    }

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions PrettyJson = new()
    {
        WriteIndented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
