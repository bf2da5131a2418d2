using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>The status of a pod that started fine: phase Running, every container ready.</summary>
internal static class PodStatus
{
    public static JsonObject Running(string podIp, string hostIp, IEnumerable<string> containers, string since)
    {
        var conditions = new JsonArray();
        foreach (var type in new[] { "Initialized", "Ready", "ContainersReady", "PodScheduled" })
        {
            conditions.Add(new JsonObject { ["type"] = type, ["status"] = "True", ["lastTransitionTime"] = since });
        }

        var statuses = new JsonArray();
        foreach (var name in containers)
        {
            statuses.Add(new JsonObject
            {
                ["name"] = name,
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["image"] = name,
                ["imageID"] = "",
                ["containerID"] = $"containerd://{Guid.NewGuid():N}",
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = since } },
            });
        }

        return new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = conditions,
            ["hostIP"] = hostIp,
            ["podIP"] = podIp,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["startTime"] = since,
            ["containerStatuses"] = statuses,
            ["qosClass"] = "BestEffort",
        };
    }
}
