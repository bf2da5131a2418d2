using System.Text.Json;
using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

/// <summary>A cluster's network and east-west gateway as its last check read them (the stored mesh facts), else as registered.</summary>
public sealed record ClusterNetwork(string Cluster, string? Network, bool HasEastWestGateway, string? EastWestAddress)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// From <c>ClusterEntity.MeshFactsJson</c> (<c>MeshFacts</c> as JSON; unreadable = unknown). Read here through the
    /// three fields it needs so that Topology does not depend on MeshModel (issue 12); a test round-trips the real serializer.
    /// The <c>topology.istio.io/network</c> label the check read wins over the registered network (that is what istiod uses).
    /// </summary>
    public static ClusterNetwork FromFactsJson(string cluster, string? registeredNetwork, string? meshFactsJson)
    {
        FactsView? facts = null;
        if (!string.IsNullOrWhiteSpace(meshFactsJson))
        {
            try
            {
                facts = JsonSerializer.Deserialize<FactsView>(meshFactsJson, Options);
            }
            catch (JsonException)
            {
                facts = null;
            }
        }

        return new(cluster, NonEmpty(facts?.Network) ?? NonEmpty(facts?.EastWest?.Network) ?? NonEmpty(registeredNetwork),
            facts?.EastWest is not null, NonEmpty(facts?.EastWest?.Address));
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private sealed record FactsView(string? Network, EastWestView? EastWest);

    private sealed record EastWestView(string? Network, string? Address);
}

/// <summary>One cluster's east-west gateway as a node of its network group; <see cref="Cause"/> says why it is red.</summary>
public sealed record GatewayNode(string Id, string Cluster, string? Network, string? Address, string State, int CrossNetworkLinks, int FailingLinks, string? Cause, double X, double Y);

/// <summary>A network and the clusters on it (<see cref="Network"/> null: clusters whose network is unknown).</summary>
public sealed record NetworkGroup(string? Network, string Label, IReadOnlyList<string> Clusters, IReadOnlyList<GatewayNode> Gateways, double X1, double X2);

/// <summary>How an edge is drawn: <see cref="Via"/> is the gateway node a cross-network edge ends at when that gateway explains its failure.</summary>
public sealed record EdgeRoute(string EdgeId, bool CrossNetwork, string? Via, string? Cause);

public sealed record NetworkTopologyView(
    IReadOnlyList<NetworkGroup> Groups,
    IReadOnlyDictionary<string, (double X, double Y)> Positions,
    IReadOnlyDictionary<string, EdgeRoute> Routes,
    IReadOnlyDictionary<string, string?> NetworkOf)
{
    public GatewayNode? Gateway(string id) => Groups.SelectMany(g => g.Gateways).FirstOrDefault(g => g.Id == id);

    /// <summary>The network view is worth drawing once at least one cluster's network is known.</summary>
    public bool HasNetworks => Groups.Any(g => g.Network is not null);
}

/// <summary>
/// Groups the topology's clusters by network and adds each cluster's east-west gateway (pure). In a multi-network mesh a consumer
/// reaches another network's services only through that cluster's east-west gateway (port 15443, AUTO_PASSTHROUGH), while
/// same-network consumers reach pod IPs directly. So when every fresh, judged cross-network link into a cluster fails with a
/// connection class (Connect, No upstream) and none succeeds, its east-west gateway is down: the gateway is red, and those
/// edges end at the gateway ("east-west gateway down") instead of reading as N unrelated failures. Stale, Unsupported and
/// Unknown results are not judged. Same-network links never point at the gateway.
/// </summary>
public static class NetworkTopologyBuilder
{
    public const string NoNetworkLabel = "network unknown";
    private static readonly HashSet<ProbeStatus> Unreachable = [ProbeStatus.Connect, ProbeStatus.NoUpstream];

    public static string GatewayId(string cluster) => $"ew:{cluster}";

    public static NetworkTopologyView Build(TopologyGraph graph, IReadOnlyList<ClusterNetwork> networks)
    {
        var byCluster = networks.GroupBy(n => n.Cluster, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        ClusterNetwork Of(string cluster) => byCluster.GetValueOrDefault(cluster) ?? new ClusterNetwork(cluster, null, false, null);
        var networkOf = graph.Nodes.ToDictionary(n => n.Id, n => Of(n.Id).Network, StringComparer.Ordinal);

        bool IsCrossNetwork(TopologyEdge e) =>
            networkOf.GetValueOrDefault(e.Source) is { } s && networkOf.GetValueOrDefault(e.Target) is { } t && !string.Equals(s, t, StringComparison.Ordinal);

        var routes = new Dictionary<string, EdgeRoute>(StringComparer.Ordinal);
        var gateways = new Dictionary<string, (string State, int Links, int Failing, string? Cause)>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var info = Of(node.Id);
            var inbound = graph.Edges.Where(e => e.Target == node.Id && IsCrossNetwork(e)).ToList();
            var judged = inbound.SelectMany(e => e.Services).Where(l => !l.Stale && l.Status is not (ProbeStatus.Unsupported or ProbeStatus.Unknown)).ToList();
            var ok = judged.Count(l => l.Status == ProbeStatus.Ok);
            var failing = judged.Count(l => l.Status != ProbeStatus.Ok);
            var down = info.HasEastWestGateway && judged.Count > 0 && judged.All(l => Unreachable.Contains(l.Status));
            string? cause = down ? $"east-west gateway down — {LinkCount(failing)} from other networks fail{(failing == 1 ? "s" : "")}" : null;
            foreach (var e in inbound)
            {
                var failed = down && e.Services.Any(l => !l.Stale && Unreachable.Contains(l.Status));
                routes[e.Id] = new EdgeRoute(e.Id, true, failed ? GatewayId(node.Id) : null, failed ? $"{node.Id}'s east-west gateway is down" : null);
            }

            if (info.HasEastWestGateway)
            {
                var state = down ? TopologyStates.Failing
                    : judged.Count == 0 ? (inbound.Count > 0 && inbound.All(e => e.State == TopologyStates.Stale) ? TopologyStates.Stale : TopologyStates.Unknown)
                    : failing == 0 ? TopologyStates.Ok
                    : ok > 0 ? TopologyStates.Partial : TopologyStates.Failing;
                gateways[node.Id] = (state, judged.Count, failing, cause);
            }
        }

        foreach (var e in graph.Edges.Where(e => !routes.ContainsKey(e.Id)))
        {
            routes[e.Id] = new EdgeRoute(e.Id, false, null, null);
        }

        // Layout: one column per network (known networks by name, then the unknown ones); gateways on the side facing the others.
        var groupKeys = networkOf.Values.Distinct().OrderBy(n => n is null).ThenBy(n => n, StringComparer.Ordinal).ToList();
        var positions = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        var groups = new List<NetworkGroup>();
        for (var gi = 0; gi < groupKeys.Count; gi++)
        {
            var key = groupKeys[gi];
            var members = graph.Nodes.Where(n => networkOf[n.Id] == key).Select(n => n.Id).Order(StringComparer.Ordinal).ToList();
            double x1 = (double)gi / groupKeys.Count, x2 = (double)(gi + 1) / groupKeys.Count;
            var mid = (x1 + x2) / 2;
            var width = x2 - x1;
            var towardsCentre = groupKeys.Count == 1 ? 1 : (mid < 0.5 ? 1 : mid > 0.5 ? -1 : 1);
            var clusterX = mid - (towardsCentre * width * 0.16);
            var gatewayX = mid + (towardsCentre * width * 0.24);
            var gatewayNodes = new List<GatewayNode>();
            for (var j = 0; j < members.Count; j++)
            {
                var y = Math.Round((j + 0.5) / members.Count, 4);
                positions[members[j]] = (Math.Round(clusterX, 4), y);
                if (gateways.TryGetValue(members[j], out var gw))
                {
                    var info = Of(members[j]);
                    // Below its cluster, so links from this network's consumers to other networks do not run through it.
                    var gatewayY = Math.Round(y + (0.3 / members.Count), 4);
                    gatewayNodes.Add(new GatewayNode(GatewayId(members[j]), members[j], key, info.EastWestAddress, gw.State, gw.Links, gw.Failing, gw.Cause, Math.Round(gatewayX, 4), gatewayY));
                }
            }

            groups.Add(new NetworkGroup(key, key ?? NoNetworkLabel, members, gatewayNodes, Math.Round(x1, 4), Math.Round(x2, 4)));
        }

        return new NetworkTopologyView(groups, positions, routes, networkOf);
    }

    private static string LinkCount(int n) => n == 1 ? "1 link" : $"{n} links";
}
