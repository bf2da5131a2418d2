using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

/// <summary>The admin endpoint's routes (see <see cref="SimulatedMesh"/> for the list). Plain HTTP, loopback only, no auth.</summary>
internal sealed class AdminApi(SimulatedMesh mesh)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var s = (ctx.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = ctx.Request.Method;
        try
        {
            switch (s)
            {
                case [] when method == "GET":
                    await WriteAsync(ctx, 200, Index());
                    return;
                case ["kubeconfig"] when method == "GET":
                    ctx.Response.ContentType = "application/yaml";
                    await ctx.Response.WriteAsync(mesh.KubeconfigYaml);
                    return;
                case ["clusters"] when method == "GET":
                    await WriteAsync(ctx, 200, new JsonArray([.. mesh.Clusters.Select(c => (JsonNode)Describe(c))]));
                    return;
                case ["partitions"] when method == "GET":
                    await WriteAsync(ctx, 200, Partitions());
                    return;
                case ["partitions"] when method is "POST" or "PUT":
                    var cut = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                        ?? throw new JsonException("expected a JSON object {\"a\":\"network1\",\"b\":\"network2\"}");
                    mesh.Partition(Network(cut, "a"), Network(cut, "b"));
                    await WriteAsync(ctx, 200, Partitions());
                    return;
                case ["partitions"] when method == "DELETE":
                    mesh.HealAll();
                    await WriteAsync(ctx, 200, Partitions());
                    return;
                case ["clusters", var name, .. var rest] when Find(name) is { } cluster:
                    await ClusterAsync(ctx, cluster, rest, method);
                    return;
                case ["clusters", var name, ..]:
                    await WriteAsync(ctx, 404, new JsonObject { ["error"] = $"no cluster named \"{name}\"" });
                    return;
                case ["faults"] when method == "DELETE":
                    foreach (var c in mesh.Clusters)
                    {
                        c.Faults.Reset();
                    }

                    mesh.HealAll();
                    await WriteAsync(ctx, 200, new JsonArray([.. mesh.Clusters.Select(c => (JsonNode)Describe(c))]));
                    return;
            }

            await WriteAsync(ctx, 404, new JsonObject { ["error"] = "unknown route", ["routes"] = Index()["routes"]!.DeepClone() });
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            await WriteAsync(ctx, 400, new JsonObject { ["error"] = e.Message });
        }
    }

    private async Task ClusterAsync(HttpContext ctx, SimulatedCluster cluster, string[] rest, string method)
    {
        switch (rest)
        {
            case [] when method == "GET":
                await WriteAsync(ctx, 200, Describe(cluster));
                return;
            case ["kubeconfig"] when method == "GET":
                ctx.Response.ContentType = "application/yaml";
                await ctx.Response.WriteAsync(cluster.KubeconfigYaml);
                return;
            case ["faults"] when method == "GET":
                await WriteAsync(ctx, 200, FaultsJson.Describe(cluster.Faults));
                return;
            case ["faults"] when method is "POST" or "PUT" or "PATCH":
                var body = await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted) as JsonObject
                    ?? throw new JsonException("expected a JSON object");
                FaultsJson.Apply(cluster.Faults, body);
                await WriteAsync(ctx, 200, FaultsJson.Describe(cluster.Faults));
                return;
            case ["faults"] when method == "DELETE":
                cluster.Faults.Reset();
                await WriteAsync(ctx, 200, FaultsJson.Describe(cluster.Faults));
                return;
        }

        await WriteAsync(ctx, 404, new JsonObject { ["error"] = "unknown route" });
    }

    private SimulatedCluster? Find(string name) => mesh.Clusters.FirstOrDefault(c => c.Name == name);

    private JsonArray Partitions() =>
        new([.. mesh.Partitions.Select(p => (JsonNode)new JsonObject { ["a"] = p.A, ["b"] = p.B })]);

    private static string Network(JsonObject body, string key) =>
        body[key]?.GetValue<string>() is { Length: > 0 } name ? name : throw new ArgumentException($"\"{key}\" must name a network");

    private static JsonObject Describe(SimulatedCluster c) => new()
    {
        ["name"] = c.Name,
        ["server"] = c.Server.ToString().TrimEnd('/'),
        ["istioVersion"] = c.IstioVersion,
        ["kubernetesVersion"] = c.KubernetesVersion,
        ["gatewayLoadBalancerIp"] = c.GatewayLoadBalancerIp,
        ["eastWestGatewayLoadBalancerIp"] = c.Options.EastWestGateway ? c.EastWestLoadBalancerIp : null,
        ["nodeIp"] = c.NodeIp,
        ["network"] = c.Options.Network,
        ["clusterId"] = c.Install.ClusterId,
        ["profile"] = c.Install.Overlay ? Seed.InstallPlan.MulticlusterProfile : Seed.InstallPlan.DefaultProfile,
        ["revision"] = c.Install.Revision,
        ["dns"] = c.Options.UseKubeDns ? "kube-dns" : "coredns",
        ["resourceVersion"] = c.ResourceVersion,
        ["faults"] = FaultsJson.Describe(c.Faults),
    };

    private static JsonObject Index() => new()
    {
        ["routes"] = new JsonArray(
            "GET /clusters", "GET /clusters/{name}", "GET /clusters/{name}/kubeconfig", "GET /kubeconfig",
            "GET /clusters/{name}/faults",
            "POST /clusters/{name}/faults {apiDown, apiLatencyMs, apiErrorStatus, tooManyRequests, execFails, gatewayDown, eastWestGatewayDown, istiodDown, readerTokensRevoked, dnsBroken, linkLatencyMs}",
            "DELETE /clusters/{name}/faults", "DELETE /faults (also heals partitions)",
            "GET /partitions", "POST /partitions {a, b} (cut all traffic between two networks)", "DELETE /partitions"),
    };

    private static async Task WriteAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
