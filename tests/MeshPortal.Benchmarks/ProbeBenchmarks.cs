using System.Diagnostics;
using System.Globalization;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Probe cycle figures: N simulated clusters each probing M targets with ONE exec (the <see cref="ProbeScript"/>, clusters in
/// parallel, as the fan-out jobs run) vs the seed's way, one real <c>kubectl exec … curl</c> process per (consumer, target), sequentially, over a
/// sample. Half the targets answer 200 (the seed's httpbin by in-cluster names), half are <c>.global</c> names that do not resolve. Usage: <c>probes [clusters=20] [targets=50] [sample=40]</c>.
/// </summary>
internal static class ProbeBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 20);
        var targetCount = Arg(1, 50);
        var sample = Arg(2, 40);

        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = clusterCount, AdminEndpoint = false });
        var services = new ServiceCollection().AddLogging().AddClusterAccess(null).BuildServiceProvider();
        var gateway = services.GetRequiredService<IClusterGateway>();
        var connections = mesh.Clusters.Select((c, i) => new ClusterConnection(i + 1, c.Name, c.KubeconfigYaml, c.Name, 1)).ToList();
        // Half the targets answer 200 through the sidecar (the seed's httpbin in bar, by its in-cluster names), half are exported-style
        // .global names that do not resolve (no ServiceEntry): both kinds cost a curl, and the seed-way sample alternates the same way.
        string[] inCluster = ["httpbin.bar", "httpbin.bar.svc", "httpbin.bar.svc.cluster.local"];
        var targets = Enumerable.Range(0, targetCount)
            .Select(i => new ProbeTarget(i, 1, i % 2 == 0 ? inCluster[i / 2 % inCluster.Length] : $"svc{i}.team{i % 7}.global", 8000)).ToList();
        var pods = new Dictionary<string, string>();
        foreach (var c in connections)
        {
            pods[c.Name] = (await gateway.ListPodsAsync(c, "foo", "app=sleep", CancellationToken.None)).First().Metadata.Name;
        }

        // Warm-up: one cycle (TLS, JIT).
        await CycleAsync(gateway, connections, pods, targets);
        var watch = Stopwatch.StartNew();
        var (execs, parsed, ok) = await CycleAsync(gateway, connections, pods, targets);
        watch.Stop();
        var perProbeBatched = watch.Elapsed.TotalMilliseconds / (clusterCount * targetCount);
        Console.WriteLine($"probes: batched cycle {clusterCount} clusters x {targetCount} targets = {clusterCount * targetCount} probes: " +
            $"{watch.Elapsed.TotalMilliseconds:0} ms wall, {execs} exec sessions, {parsed} results parsed ({ok} HTTP 200), {perProbeBatched:0.00} ms/probe");

        // The seed's way, as a person or a script does it: a real `kubectl exec … curl` process per (consumer, target), one after
        // another, over a sample (kubectl at /usr/bin/kubectl; the simulator's kubeconfig; a private discovery cache, warmed once).
        if (!File.Exists(Kubectl))
        {
            Console.WriteLine($"probes: {Kubectl} is missing; the seed-way baseline was not measured.");
            return 0;
        }

        var dir = Directory.CreateTempSubdirectory("probe-bench-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await mesh.WriteKubeconfigAsync(kubeconfig);
            string[] SeedArgs(ClusterConnection c, ProbeTarget t) =>
                ["--kubeconfig", kubeconfig, "--context", c.Name, "--cache-dir", Path.Combine(dir, "cache"), "exec", "-n", "foo", pods[c.Name], "-c", "sleep",
                 "--", "curl", "-sS", "--max-time", "5", $"http://{t.Host}:{t.Port}/"];
            var (warmCode, warmOut) = await RunKubectlAsync(SeedArgs(connections[0], targets[0]));
            if (warmCode != 0 || !warmOut.Contains("\"headers\"", StringComparison.Ordinal) && !warmOut.Contains("httpbin", StringComparison.Ordinal))
            {
                Console.WriteLine($"probes: warm-up kubectl exec did not answer like httpbin (exit {warmCode}): {warmOut[..Math.Min(200, warmOut.Length)]}");
            }

            var seed = Stopwatch.StartNew();
            var exitCodes = new Dictionary<int, int>();
            for (var i = 0; i < sample; i++)
            {
                var (code, _) = await RunKubectlAsync(SeedArgs(connections[i % connections.Count], targets[i % targets.Count]));
                exitCodes[code] = exitCodes.GetValueOrDefault(code) + 1;
            }

            seed.Stop();
            var perProbeSeed = seed.Elapsed.TotalMilliseconds / sample;
            Console.WriteLine($"probes: seed way (real kubectl exec … curl per probe, sequential) over {sample} probes: {seed.Elapsed.TotalMilliseconds:0} ms, " +
                $"{perProbeSeed:0.00} ms/probe (kubectl exit codes: {string.Join(", ", exitCodes.OrderBy(e => e.Key).Select(e => $"{e.Key}×{e.Value}"))})");
            Console.WriteLine($"probes: batched is {perProbeSeed / perProbeBatched:0.0}x faster per probe; exec sessions per cycle {execs} (vs {clusterCount * targetCount})");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        return 0;
    }

    private const string Kubectl = "/usr/bin/kubectl";

    private static async Task<(int Code, string Stdout)> RunKubectlAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static async Task<(int Execs, int Parsed, int Ok)> CycleAsync(IClusterGateway gateway, IReadOnlyList<ClusterConnection> connections,
        IReadOnlyDictionary<string, string> pods, IReadOnlyList<ProbeTarget> targets)
    {
        var perTarget = TimeSpan.FromSeconds(5);
        var batches = ProbeScript.Split(targets, perTarget, new ProbeOptions().MaxCommandChars);
        var results = await Task.WhenAll(connections.Select(async c =>
        {
            var parsed = 0;
            var ok = 0;
            foreach (var batch in batches)
            {
                var r = await gateway.ExecAsync(c, "foo", pods[c.Name], "sleep", ProbeScript.Command(batch, perTarget),
                    ProbeScript.ExecBudget(batch.Count, perTarget), CancellationToken.None);
                var outcomes = ProbeOutputParser.Parse(r.Stdout);
                parsed += outcomes.Count;
                ok += outcomes.Values.Count(o => o.HttpCode == 200);
            }

            return (parsed, ok);
        }));
        return (connections.Count * batches.Count, results.Sum(r => r.parsed), results.Sum(r => r.ok));
    }
}
