using System.Globalization;
using System.Runtime.InteropServices;

namespace MeshPortal.Simulator.Cli;

/// <summary>
/// <c>meshportal-simulator --clusters 3 --kubeconfig ./data/simulator/kubeconfig</c>: starts N simulated clusters,
/// writes their kubeconfig, prints where it is and the admin endpoint, and runs until Ctrl+C or SIGTERM.
/// </summary>
internal static class SimulatorProgram
{
    private const string Usage = """
        Usage: meshportal-simulator [options]
          --clusters N          number of clusters (default 3: cluster-1 .. cluster-N)
          --kubeconfig PATH     where to write the kubeconfig (default ./data/simulator/kubeconfig)
          --istio-version V     Istio version of every cluster (default 1.6.8)
          --extra-services N    extra services with a ready pod per cluster (default 0)
          --kube-dns            clusters run kube-dns instead of CoreDNS
          --no-load-balancer    ingress gateways have no load-balancer address (NodePort only)
          --admin-port P        admin endpoint port on 127.0.0.1 (default: a free port)
        """;

    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions options;
        string kubeconfig;
        try
        {
            (options, kubeconfig) = Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\n\n{Usage}");
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var mesh = await SimulatedMesh.StartAsync(options);
        await mesh.WriteKubeconfigAsync(kubeconfig);
        Console.WriteLine($"Started {mesh.Clusters.Count} simulated cluster(s) in {started.ElapsedMilliseconds} ms:");
        foreach (var c in mesh.Clusters)
        {
            Console.WriteLine($"  {c.Name,-12} {c.Server}  Istio {c.IstioVersion}, Kubernetes {c.KubernetesVersion}, gateway {c.GatewayLoadBalancerIp ?? c.NodeIp + " (NodePort)"}");
        }

        Console.WriteLine($"Kubeconfig: {Path.GetFullPath(kubeconfig)}");
        Console.WriteLine($"  try: kubectl --kubeconfig {Path.GetFullPath(kubeconfig)} --context {mesh.Clusters[0].Name} get pods -A");
        Console.WriteLine($"Admin endpoint: {mesh.AdminEndpoint}  (GET clusters, POST clusters/<name>/faults)");
        Console.WriteLine("Press Ctrl+C to stop.");
        await stop.Task;
        Console.WriteLine("Stopping.");
        return 0;
    }

    private static (SimulatorOptions Options, string Kubeconfig) Parse(string[] args)
    {
        var options = new SimulatorOptions();
        var kubeconfig = Path.Combine("data", "simulator", "kubeconfig");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{args[i]} needs a number");
            switch (args[i])
            {
                case "--clusters": options.Clusters = Number(); break;
                case "--kubeconfig": kubeconfig = Next(); break;
                case "--istio-version": options.Defaults.IstioVersion = Next(); break;
                case "--extra-services": options.Defaults.ExtraServices = Number(); break;
                case "--kube-dns": options.Defaults.UseKubeDns = true; break;
                case "--no-load-balancer": options.Defaults.GatewayHasLoadBalancer = false; break;
                case "--admin-port": options.AdminPort = Number(); break;
                case "-h" or "--help": return (null!, kubeconfig);
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        if (options.Clusters is < 1 or > 500)
        {
            throw new ArgumentException("--clusters must be between 1 and 500");
        }

        return (options, kubeconfig);
    }
}
