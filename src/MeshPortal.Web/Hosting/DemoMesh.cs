using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Simulator;

namespace MeshPortal.Web.Hosting;

/// <summary>The simulated clusters of a demo profile and the network each is registered on. Pure.</summary>
internal static class DemoMesh
{
    public const string ModernIstio = "1.28.0";

    public static IReadOnlyList<(SimulatedClusterOptions Cluster, string? Network)> Clusters(string profile, int count, bool cacertsAtInstall)
    {
        var result = new List<(SimulatedClusterOptions, string?)>();
        for (var i = 1; i <= count; i++)
        {
            var name = $"cluster-{i}";
            if (profile == DemoProfiles.Seed)
            {
                result.Add((new SimulatedClusterOptions { Name = name, CacertsAtInstall = cacertsAtInstall }, null));
                continue;
            }

            // Istio's multi-primary on different networks guide: cluster-1 on net1, the others on net2, an east-west gateway each.
            var network = i == 1 ? "net1" : "net2";
            result.Add((new SimulatedClusterOptions
            {
                Name = name,
                IstioVersion = ModernIstio,
                ClusterId = name,
                MeshId = "mesh1",
                Network = network,
                GlobalNetwork = network,
                EastWestGateway = true,
                CacertsAtInstall = cacertsAtInstall,
            }, network));
        }

        return result;
    }
}
