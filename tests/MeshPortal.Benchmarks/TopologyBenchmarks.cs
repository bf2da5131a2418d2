using System.Diagnostics;
using System.Globalization;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Benchmarks;

/// <summary>
/// The topology view model at scale: N clusters, S exported services, each consumed by C other clusters (S × C latest results, a
/// mix of classes and some stale), built by <see cref="TopologyBuilder"/> (the default cluster-level view), then filtered and
/// drilled into one edge the way the page does. Median and max over repeated builds after a warm-up.
/// Usage: <c>topology [clusters=100] [services=2000] [consumersPerService=5] [runs=30]</c>.
/// </summary>
internal static class TopologyBenchmarks
{
    public static Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 100);
        var serviceCount = Arg(1, 2000);
        var consumersPer = Arg(2, 5);
        var runs = Arg(3, 30);
        var (clusters, results) = Data(clusterCount, serviceCount, consumersPer);
        var now = DateTimeOffset.UtcNow;
        var stale = TimeSpan.FromSeconds(120);

        TopologyGraph graph = null!;
        var build = Measure(runs, () => graph = TopologyBuilder.Build(clusters, results, now, stale));
        Console.WriteLine($"topology: {clusterCount} clusters, {serviceCount} services, {results.Count} latest results -> {graph.Nodes.Count} nodes, {graph.Edges.Count} edges; " +
            $"build median {build.Median:0.0} ms, max {build.Max:0.0} ms over {runs} runs (CPU median {build.CpuMedian:0.0} ms; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");

        var filter = new TopologyFilter(Cluster: clusters[3].Name, Namespace: "team3", Status: null, Search: "svc1");
        var filtered = Measure(runs, () => TopologyFilters.Apply(graph, filter));
        var edge = graph.Edges.OrderByDescending(e => e.Total).First();
        var drill = Measure(runs, () => ServiceDrillDown.Build(edge, TopologyFilter.None));
        Console.WriteLine($"topology: filter (cluster+namespace+search) median {filtered.Median:0.00} ms; drill-down of the largest edge ({edge.Total} services) median {drill.Median:0.00} ms");
        return Task.FromResult(0);
    }

    /// <summary>Wall median and max, and the median of this process's CPU time per run (less sensitive to other processes' load).</summary>
    private static (double Median, double Max, double CpuMedian) Measure(int runs, Action action)
    {
        for (var i = 0; i < 3; i++)
        {
            action();
        }

        var times = new List<double>(runs);
        var cpus = new List<double>(runs);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpus.Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
        }

        times.Sort();
        cpus.Sort();
        return (times[times.Count / 2], times[^1], cpus[cpus.Count / 2]);
    }

    internal static (List<TopologyCluster> Clusters, List<ProbeResultView> Results) Data(int clusterCount, int serviceCount, int consumersPer)
    {
        var now = DateTimeOffset.UtcNow;
        var clusters = Enumerable.Range(1, clusterCount)
            .Select(i => new TopologyCluster(i, $"cluster-{i:000}", "1.22.3", $"203.0.113.{i % 250}", i % 37 != 0, now, "Synced", now.AddDays(300)))
            .ToList();
        var statuses = new[] { ProbeStatus.Ok, ProbeStatus.Ok, ProbeStatus.Ok, ProbeStatus.Ok, ProbeStatus.Ok, ProbeStatus.Ok, ProbeStatus.Dns, ProbeStatus.Tls, ProbeStatus.NoUpstream, ProbeStatus.Unknown };
        var results = new List<ProbeResultView>(serviceCount * consumersPer);
        for (var s = 0; s < serviceCount; s++)
        {
            var target = clusters[s % clusterCount];
            for (var c = 1; c <= consumersPer; c++)
            {
                var source = clusters[(s + (c * 7)) % clusterCount];
                if (source.Id == target.Id)
                {
                    source = clusters[(s + (c * 7) + 1) % clusterCount];
                }

                var status = statuses[(s * 31 + c) % statuses.Length];
                results.Add(new ProbeResultView(source.Id, source.Name, target.Id, target.Name, $"svc{s}.team{s % 40}.global", 8000, status,
                    status == ProbeStatus.Ok ? 200 : null, 3 + (s % 17), now.AddSeconds(-((s * c) % 200)),
                    status == ProbeStatus.Ok ? null : "curl: (6) Could not resolve host", status == ProbeStatus.Ok ? null : "hint"));
            }
        }

        return (clusters, results);
    }
}
