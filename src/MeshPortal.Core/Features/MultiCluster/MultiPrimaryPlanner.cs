using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>
/// The multi-primary mesh (Source "mesh"), for every cluster whose install can join it (<see cref="MultiPrimaryRules"/>):
/// the <c>topology.istio.io/network</c> label on <c>istio-system</c> when the cluster was registered with a network, the
/// reader token Secret its peers' remote secrets carry, and one remote secret per other primary. Clusters that disagree
/// with the mesh (duplicate cluster IDs, another mesh ID) get notes instead of secrets. Pure.
/// </summary>
public sealed class MultiPrimaryPlanner : IClusterPlanner
{
    public const string Source = "mesh";

    public const string CrossNetworkGatewayName = "cross-network-gateway";

    private readonly IReadOnlyList<MeshPeer> peers;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> problems;
    private readonly bool severalNetworks;

    private readonly IReadOnlySet<int> eastWestRequested;

    /// <param name="peers">The primaries, with what their peers' remote secrets carry.</param>
    /// <param name="members">The primaries' mesh facts and networks.</param>
    /// <param name="eastWestRequested">Clusters whose east-west gateway MeshPortal deploys and owns (asked for by an admin).</param>
    public MultiPrimaryPlanner(IReadOnlyList<MeshPeer> peers, IReadOnlyList<MeshMember> members, IReadOnlyCollection<int>? eastWestRequested = null)
    {
        this.peers = peers;
        this.eastWestRequested = eastWestRequested is null ? new HashSet<int>() : new HashSet<int>(eastWestRequested);
        problems = MultiPrimaryRules.MeshProblems(members);
        severalNetworks = members.Select(MultiPrimaryRules.NetworkOf).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Count() > 1;
    }

    public static readonly MultiPrimaryPlanner Empty = new([], []);

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) =>
    [
        .. severalNetworks && cluster.Mesh is { EastWest: not null, CrossNetworkGateway: true } ? [CrossNetworkRef(cluster.IstioVersion)] : Array.Empty<ObjectRef>(),
        .. eastWestRequested.Contains(cluster.Id) ? EastWestGateway.Reads : [],
    ];

    private static ObjectRef CrossNetworkRef(string? istioVersion) => IstioApi.Gateway(istioVersion, RemoteSecrets.Namespace, CrossNetworkGatewayName);

    private static bool IsOwned(JsonObject live) => live["metadata"]?["labels"]?[ManagedLabels.ManagedBy]?.GetValue<string>() == ManagedLabels.ManagedByValue;

    /// <summary>
    /// Opens 15443 on the east-west gateway for every <c>*.local</c> service with AUTO_PASSTHROUGH, exactly Istio's
    /// <c>samples/multicluster/expose-services.yaml</c>; a Gateway of that name the user applied is used as it is.
    /// </summary>
    public static DesiredObject CrossNetworkGateway(string? istioVersion)
    {
        var reference = CrossNetworkRef(istioVersion);
        return new DesiredObject(reference, new JsonObject
        {
            ["apiVersion"] = $"{reference.Group}/{reference.Version}",
            ["kind"] = "Gateway",
            ["metadata"] = new JsonObject { ["name"] = CrossNetworkGatewayName, ["namespace"] = RemoteSecrets.Namespace },
            ["spec"] = JsonNode.Parse("""
                {"selector":{"istio":"eastwestgateway"},
                 "servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.local"]}]}
                """),
        }, Source);
    }

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var self = peers.FirstOrDefault(p => p.Id == cluster.Id);
        if (self is null)
        {
            return PlanContribution.None;
        }

        var objects = new List<DesiredObject>();
        var notes = new List<string>();
        if (!string.IsNullOrEmpty(cluster.Network))
        {
            objects.Add(NetworkLabel(cluster.Network));
        }

        var deploysEastWest = false;
        if (eastWestRequested.Contains(cluster.Id))
        {
            var gateway = EastWestGateway.Plan(cluster, live, Source);
            objects.AddRange(gateway.Objects);
            notes.AddRange(gateway.Notes);
            deploysEastWest = gateway.Objects.Count > 0;
        }

        var others = peers.Where(p => p.Id != cluster.Id).ToList();
        if (others.Count == 0)
        {
            return new PlanContribution(objects, notes);
        }

        objects.Add(RemoteSecrets.ReaderToken(Source));
        if (severalNetworks && cluster.Mesh is { } facts)
        {
            if (facts.EastWest is null && !deploysEastWest)
            {
                notes.Add($"{cluster.Name}: the mesh spans several networks but this cluster has no east-west gateway, so other networks cannot reach its " +
                          "services. Let MeshPortal deploy one (cluster page → Deploy east-west gateway), or install it with Istio's " +
                          "samples/multicluster/gen-eastwest-gateway.sh --network <network>, then re-check the cluster.");
            }
            else if (!facts.CrossNetworkGateway || live.Get(CrossNetworkRef(cluster.IstioVersion)) is { } mine && IsOwned(mine))
            {
                objects.Add(CrossNetworkGateway(cluster.IstioVersion));
            }
        }

        var own = problems.GetValueOrDefault(cluster.Name) ?? [];
        if (own.Count > 0)
        {
            notes.AddRange(own.Select(p => $"{cluster.Name}: {p} No remote secrets are written here until this is fixed."));
            return new PlanContribution(objects, notes);
        }

        foreach (var peer in others)
        {
            if ((problems.GetValueOrDefault(peer.Name) ?? []).Count > 0)
            {
                notes.Add($"{cluster.Name}: no remote secret for {peer.Name}, whose install disagrees with the mesh (see its page).");
            }
            else if (peer.ReaderToken is null)
            {
                notes.Add($"{cluster.Name}: the remote secret for {peer.Name} waits for {peer.Name}'s istio-reader-service-account token (minted on its next push).");
            }
            else
            {
                objects.Add(RemoteSecrets.For(peer, Source));
            }
        }

        return new PlanContribution(objects, notes);
    }

    /// <summary>Merges only the network label into <c>istio-system</c>; istiod reads it for the cluster's endpoints (1.10+).</summary>
    public static DesiredObject NetworkLabel(string network) => new(RemoteSecrets.NamespaceRef, new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = RemoteSecrets.Namespace,
            ["labels"] = new JsonObject { [MeshFactsReader.NetworkLabel] = network },
        },
    }, Source, ApplyMode.Merge);
}
