namespace MeshPortal.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/MeshPortal.Benchmarks -- &lt;suite&gt;</c>. Each suite is its own class;
/// add a case below for a new one.
/// </summary>
internal static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        var suite = args.Length > 0 ? args[0] : "";
        // The portal runs with the server GC (Web SDK); a figure taken with another GC is not the product's.
        Console.WriteLine($"({suite}: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {Environment.ProcessorCount} cores)");
        switch (suite)
        {
            case "simulator":
                return await SimulatorBenchmarks.RunAsync(args[1..]);
            case "trust":
                return await TrustBenchmarks.RunAsync(args[1..]);
            case "reconcile":
                return await ReconcileBenchmarks.RunAsync(args[1..]);
            case "export-latency":
                return await ExportLatencyBenchmarks.RunAsync(args[1..]);
            case "probes":
                return await ProbeBenchmarks.RunAsync(args[1..]);
            case "probe-cycle":
                return await ProbeCycleBenchmarks.RunAsync(args[1..]);
            case "list-api":
                return await ListApiBenchmarks.RunAsync(args[1..]);
            case "pages": return await PageBenchmarks.RunAsync(args[1..]);
            case "topology":
                return await TopologyBenchmarks.RunAsync(args[1..]);
            case "topology-paint":
                return await TopologyPaintBenchmarks.RunAsync(args[1..]);
            case "create-burst": return await CreateBurstBenchmarks.RunAsync(args[1..]);
            case "cold-start": return await ColdStartBenchmarks.RunAsync(args[1..]);
            case "soak": return await SoakBenchmarks.RunAsync(args[1..]);
            case "postgres":
                return await PostgresBenchmarks.RunAsync(args[1..]);
            default:
                Console.Error.WriteLine("usage: MeshPortal.Benchmarks <suite> [options]\n  suites: simulator, trust, reconcile, export-latency, probes, probe-cycle, list-api, topology, topology-paint, postgres, create-burst, cold-start, soak");
                return 2;
        }
    }
}
