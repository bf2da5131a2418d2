using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>
/// The counting-sort builder (issue 20) gives exactly the graph of the builder it replaced (kept below verbatim as the
/// reference) on generated meshes: all-pairs consumption, several ports per host in shuffled order, duplicated cluster names,
/// ids that disagree with names, results of unregistered clusters, stale and fresh results of every class.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class TopologyBuilderEquivalenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(1, 12, 40, 11)]
    [InlineData(2, 30, 200, 29)]
    [InlineData(3, 5, 9, 4)]
    [InlineData(4, 60, 500, 20)]
    public void The_graph_equals_the_previous_builders_on_a_generated_mesh(int seed, int clusterCount, int serviceCount, int consumersPer)
    {
        var (clusters, results) = Mesh(seed, clusterCount, serviceCount, consumersPer);

        var expected = Reference.Build(clusters, results, Now, StaleAfter);
        var actual = TopologyBuilder.Build(clusters, results, Now, StaleAfter);

        Assert.Equal(expected.Nodes, actual.Nodes);
        Assert.Equal(expected.Edges.Count, actual.Edges.Count);
        Assert.True(expected.Edges.Count > 0);
        for (var i = 0; i < expected.Edges.Count; i++)
        {
            Assert.Equal(expected.Edges[i] with { Services = [] }, actual.Edges[i] with { Services = [] });
            Assert.Equal(expected.Edges[i].Services, actual.Edges[i].Services);
        }
    }

    [Fact]
    public void An_empty_mesh_and_results_of_unknown_clusters_give_no_edges()
    {
        var clusters = new List<TopologyCluster> { new(1, "a", null, null, true, Now, "Synced", null) };
        var results = new List<ProbeResultView> { new(7, "x", 1, "a", "h.global", 80, ProbeStatus.Ok, 200, 1, Now, null, null) };

        Assert.Empty(TopologyBuilder.Build(clusters, results, Now, StaleAfter).Edges);
        Assert.Empty(TopologyBuilder.Build([], [], Now, StaleAfter).Nodes);
    }

    private static (List<TopologyCluster> Clusters, List<ProbeResultView> Results) Mesh(int seed, int clusterCount, int serviceCount, int consumersPer)
    {
        var random = new Random(seed);
        var clusters = Enumerable.Range(1, clusterCount)
            .Select(i => new TopologyCluster(i, i % 9 == 0 ? "dup" : $"c-{random.Next(1000):000}-{i}", "1.22.3", null, (i % 3) switch { 0 => true, 1 => false, _ => null }, Now, "Synced", null))
            .OrderBy(_ => random.Next())
            .ToList();
        var statuses = Enum.GetValues<ProbeStatus>();
        var results = new List<ProbeResultView>();
        for (var s = 0; s < serviceCount; s++)
        {
            var target = clusters[random.Next(clusters.Count)];
            var ports = random.Next(4) == 0 ? new[] { 9000, 80, 8443 } : [8000];
            // Names are distinct per service: two "dup" sources would give one edge the same host and port twice, an order neither builder defines.
            var sources = clusters.Where(c => c.Id != target.Id && c.Name != target.Name).OrderBy(_ => random.Next()).DistinctBy(c => c.Name).Take(consumersPer).ToList();
            foreach (var port in ports)
            {
                foreach (var source in sources)
                {
                    var status = statuses[random.Next(statuses.Length)];
                    var sourceId = random.Next(20) == 0 ? source.Id + 1000 : source.Id; // an id that disagrees: found by name
                    var targetName = random.Next(50) == 0 ? "unregistered" : target.Name;
                    results.Add(new ProbeResultView(sourceId, source.Name, target.Id, targetName, $"svc{random.Next(1000)}-{s}.team{s % 7}.global", port, status,
                        status == ProbeStatus.Ok ? 200 : null, random.Next(3) == 0 ? null : random.Next(1, 500), Now.AddSeconds(-random.Next(300)), "m", "h"));
                }
            }
        }

        return (clusters, results.OrderBy(_ => random.Next()).ToList());
    }

    /// <summary>The builder as it was before the counting sort (02e9d38), unchanged but for the qualified helper calls.</summary>
    private static class Reference
    {
        public static TopologyGraph Build(IReadOnlyList<TopologyCluster> clusters, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
        {
            var ordered = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            var nodes = ordered.Select((c, i) =>
            {
                var (x, y) = TopologyBuilder.CirclePosition(i, ordered.Count);
                var state = c.ApiReachable switch { true => TopologyStates.Ok, false => TopologyStates.Failing, null => TopologyStates.Unknown };
                return new TopologyNode(c.Name, "cluster", c.Name, state, c.IstioVersion, c.GatewayAddress, c.ApiReachable, c.Sync, c.TrustNotAfter, x, y);
            }).ToList();

            // This runs on every refresh of every open page, at up to (clusters − 1)² edges and 200,000 results: a counting sort
            // instead of a list per edge, and every link in ONE array of structs that each edge views a slice of (no object per
            // link for the collector to trace and promote). Clusters are numbered in name order, so an edge's number (source ×
            // count + target) sorts the edges by name; a result finds its clusters by id (an int lookup) and is kept only when
            // the names agree, else by name as before.
            var count = ordered.Count;
            var byName = new Dictionary<string, int>(count, StringComparer.Ordinal);
            var byId = new Dictionary<int, int>(count);
            for (var i = 0; i < count; i++)
            {
                byName.TryAdd(ordered[i].Name, i);
                byId.TryAdd(ordered[i].Id, i);
            }

            int IndexOf(int id, string name) =>
                byId.TryGetValue(id, out var i) && string.Equals(ordered[i].Name, name, StringComparison.Ordinal) ? byName[name]
                : byName.TryGetValue(name, out var j) ? j : -1;

            var edgeOf = new int[results.Count];
            var hostOf = new int[results.Count];
            var hostIds = new Dictionary<string, int>(StringComparer.Ordinal);
            var edgeNumbers = new Dictionary<long, int>();
            var edgeKeys = new List<long>();
            var sizes = new List<int>();
            for (var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                var source = IndexOf(r.SourceClusterId, r.Source);
                var target = source < 0 ? -1 : IndexOf(r.TargetClusterId, r.Target);
                if (target < 0)
                {
                    edgeOf[i] = -1;
                    continue;
                }

                var key = ((long)source * count) + target;
                if (!edgeNumbers.TryGetValue(key, out var edge))
                {
                    edge = edgeKeys.Count;
                    edgeNumbers[key] = edge;
                    edgeKeys.Add(key);
                    sizes.Add(0);
                }

                edgeOf[i] = edge;
                sizes[edge]++;
                if (!hostIds.TryGetValue(r.Host, out var host))
                {
                    host = hostIds.Count;
                    hostIds[r.Host] = host;
                }

                hostOf[i] = host;
            }

            // Links sort by host, then port: each distinct host is compared once here, the links then by an integer key.
            var hosts = new string[hostIds.Count];
            foreach (var (host, id) in hostIds)
            {
                hosts[id] = host;
            }

            var hostOrder = new int[hosts.Length];
            for (var h = 0; h < hostOrder.Length; h++)
            {
                hostOrder[h] = h;
            }

            Array.Sort(hosts, hostOrder, StringComparer.Ordinal);
            var hostRank = new int[hosts.Length];
            for (var rank = 0; rank < hostOrder.Length; rank++)
            {
                hostRank[hostOrder[rank]] = rank;
            }

            var keys = edgeKeys.ToArray();
            var order = new int[keys.Length];
            for (var e = 0; e < order.Length; e++)
            {
                order[e] = e;
            }

            Array.Sort(keys, order);
            var starts = new int[keys.Length];
            var next = new int[keys.Length];
            var total = 0;
            foreach (var e in order)
            {
                starts[e] = next[e] = total;
                total += sizes[e];
            }

            var links = new TopologyServiceLink[total];
            var sortKeys = new long[total];
            for (var i = 0; i < results.Count; i++)
            {
                if (edgeOf[i] >= 0)
                {
                    var at = next[edgeOf[i]]++;
                    links[at] = new TopologyServiceLink(results[i].Host, results[i].Port, results[i].Status, now - results[i].ObservedAt > staleAfter, results[i].LatencyMs, results[i].ObservedAt, results[i].Message, results[i].Hint);
                    sortKeys[at] = ((long)hostRank[hostOf[i]] << 32) | (uint)results[i].Port;
                }
            }

            var edges = new List<TopologyEdge>(keys.Length);
            for (var k = 0; k < keys.Length; k++)
            {
                var e = order[k];
                Array.Sort(sortKeys, links, starts[e], sizes[e]);
                edges.Add(TopologyBuilder.Aggregate(ordered[(int)(keys[k] / count)].Name, ordered[(int)(keys[k] % count)].Name,
                    new ArraySegment<TopologyServiceLink>(links, starts[e], sizes[e]), now));
            }

            return new TopologyGraph(nodes, edges, now);
        }
    }
}
