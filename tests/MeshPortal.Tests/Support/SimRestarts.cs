using System.Text.Json.Nodes;
using MeshPortal.Simulator;

namespace MeshPortal.Tests.Support;

/// <summary>What <c>kubectl rollout restart deployment/NAME -n NS</c> writes, done directly on a simulated cluster.</summary>
internal static class SimRestarts
{
    public static void RolloutRestart(SimulatedCluster cluster, string @namespace, string deployment)
    {
        var d = cluster.Get("apps", "deployments", @namespace, deployment) ?? throw new InvalidOperationException($"no deployment {@namespace}/{deployment} in {cluster.Name}");
        var template = d["spec"]!["template"]!["metadata"]!.AsObject();
        template["annotations"] ??= new JsonObject();
        template["annotations"]!["kubectl.kubernetes.io/restartedAt"] = DateTimeOffset.UtcNow.ToString("O");
        d["metadata"]!.AsObject().Remove("resourceVersion");
        cluster.Put(d);
    }
}
