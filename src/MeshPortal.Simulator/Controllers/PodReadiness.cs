using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// The kubelet's view of a container that runs but is not ready (a proxy without config, istiod that cannot start): the pod's
/// Ready/ContainersReady conditions and that container's status, as <c>kubectl get pods</c> shows them (1/2, CrashLoopBackOff).
/// </summary>
internal static class PodReadiness
{
    /// <summary>Marks <paramref name="container"/> not ready; <paramref name="crashReason"/> also puts it in CrashLoopBackOff.</summary>
    public static void SetNotReady(JsonObject pod, string container, string? crashReason, string now)
    {
        SetConditions(pod, "False", now);
        foreach (var status in pod.Objects("status", "containerStatuses").Where(s => s.Str("name") == container))
        {
            status["ready"] = false;
            if (crashReason is not null)
            {
                status["started"] = false;
                status["restartCount"] = 3;
                status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = crashReason } };
                status["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject { ["exitCode"] = 255, ["reason"] = "Error", ["startedAt"] = now, ["finishedAt"] = now },
                };
            }
        }
    }

    /// <summary>Every container ready again (a restarted process that came up).</summary>
    public static void SetReady(JsonObject pod, string now)
    {
        SetConditions(pod, "True", now);
        foreach (var status in pod.Objects("status", "containerStatuses"))
        {
            status["ready"] = true;
            status["started"] = true;
            status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
            status.Remove("lastState");
        }
    }

    public static bool ContainerReady(JsonObject? pod, string container) =>
        pod.Objects("status", "containerStatuses").FirstOrDefault(s => s.Str("name") == container)?.Str("ready") != "false";

    private static void SetConditions(JsonObject pod, string value, string now)
    {
        foreach (var condition in pod.Objects("status", "conditions").Where(c => c.Str("type") is "Ready" or "ContainersReady"))
        {
            if (condition.Str("status") != value)
            {
                condition["status"] = value;
                condition["lastTransitionTime"] = now;
            }
        }
    }
}
