using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator;

namespace MeshPortal.Tests.Support;

/// <summary>
/// A user driving a certificate roll-out through the portal's API: read the roll-out, push when it waits for the cacerts, restart
/// istiod when told, restart the gateways, run the kubectl commands it lists (real kubectl), advance the root transition phase.
/// </summary>
internal static class PortalRollout
{
    /// <summary>Every phase of the root transition (or just the restarts, outside one) for each (portal name, simulated cluster).</summary>
    public static async Task CompleteAsync(HttpClient api, SimulatedMesh mesh, params (string Portal, string Sim)[] clusters)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"meshportal-rollout-{Guid.NewGuid():N}.yaml");
        await mesh.WriteKubeconfigAsync(kubeconfig);
        try
        {
            foreach (var (portalName, simName) in clusters)
            {
                while (true)
                {
                    var rollout = await RollOutAsync(api, kubeconfig, portalName, simName);
                    if (rollout["nextPhase"] is null)
                    {
                        break;
                    }

                    var advanced = await api.PostAsJsonAsync($"/api/v1/trust/clusters/{portalName}/advance", new { });
                    Assert.True(advanced.StatusCode == HttpStatusCode.OK, await advanced.Content.ReadAsStringAsync());
                }
            }
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static async Task<JsonNode> RollOutAsync(HttpClient api, string kubeconfig, string portalName, string simName)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var rollout = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{portalName}/rollout"));
            Assert.True(rollout["error"] is null, rollout.ToJsonString());
            var phase = (string?)rollout["phase"];
            if ((bool)rollout["canAdvance"]! && (phase is null || phase == (string?)rollout["livePhase"]))
            {
                return rollout;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"{portalName} did not roll out: {rollout.ToJsonString()}");
            switch ((string?)rollout["step"])
            {
                case "WaitForPush" or "Ready":
                    Assert.True((await api.PostAsync($"/api/v1/clusters/{portalName}/sync", null)).IsSuccessStatusCode);
                    await Eventually.ReturnsAsync(
                        async () => await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/trust/clusters/{portalName}/rollout")),
                        r => r["phase"] is null || (string?)r["phase"] == (string?)r["livePhase"], $"the cacerts of {portalName}'s phase to be pushed");
                    break;
                case "RestartIstiod":
                    var istiod = await api.PostAsync($"/api/v1/trust/clusters/{portalName}/restart-istiod", null);
                    Assert.True(istiod.IsSuccessStatusCode, await istiod.Content.ReadAsStringAsync());
                    break;
                case "RestartPods" when rollout["gateways"]!.AsArray().Count > 0:
                    var gateways = await api.PostAsync($"/api/v1/trust/clusters/{portalName}/restart-gateways", null);
                    Assert.True(gateways.IsSuccessStatusCode, await gateways.Content.ReadAsStringAsync());
                    break;
                case "RestartPods":
                    foreach (var command in rollout["commands"]!.AsArray().Select(c => (string)c!))
                    {
                        await Kubectl.RunAsync(kubeconfig, simName, command);
                    }

                    break;
            }
        }
    }
}
