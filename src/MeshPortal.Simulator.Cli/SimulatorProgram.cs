using System.Runtime.InteropServices;

namespace MeshPortal.Simulator.Cli;

/// <summary>
/// <c>meshportal-simulator --clusters 3 --cluster cluster-2:istio=1.24.3,network=net2</c>: starts the simulated clusters, writes their
/// kubeconfig (its own file by default, never one another running process wrote), prints where it is and the admin endpoint, and
/// runs until Ctrl+C or SIGTERM.
/// </summary>
internal static class SimulatorProgram
{
    public const string DefaultKubeconfig = "simulator-kubeconfig";

    public static readonly string Usage = $"""
        Usage: meshportal-simulator [options]
          --clusters N             number of clusters (default 3: cluster-1 .. cluster-N)
          --cluster NAME:K=V,...   settings of one cluster (adds it when NAME is not one of the N), e.g.
                                   --cluster cluster-2:istio=1.24.3,network=net2,globalNetwork=net2,eastWestGateway=true
                                   keys: {ClusterArguments.KeyList}
          --config FILE            options from a YAML or JSON file (Clusters, Defaults, ClusterOverrides, ...); flags apply on top
          --kubeconfig PATH        where to write the kubeconfig (default ./{DefaultKubeconfig}); a file another running
                                   simulator wrote, or one the simulator did not write, is never overwritten
          --istio-version V        Istio version of every cluster (default 1.6.8)
          --extra-services N       extra services with a ready pod per cluster (default 0)
          --kube-dns               clusters run kube-dns instead of CoreDNS
          --no-load-balancer       no load balancers (gateways reachable through node ports only)
          --admin-port P           admin endpoint port on 127.0.0.1 (default: a free port)
        """;

    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions? options;
        string kubeconfig;
        try
        {
            (options, kubeconfig) = CommandLine.Parse(args);
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

        var full = Path.GetFullPath(kubeconfig);
        if (File.Exists(full) && !CommandLine.MayOverwrite(full, out var why))
        {
            await Console.Error.WriteLineAsync($"error: {why} Pass --kubeconfig PATH to write the simulator's kubeconfig somewhere else.");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = false;
        void OnSignal(PosixSignalContext context)
        {
            // While the clusters are still being created and seeded (seconds with thousands of extra services) there is
            // nothing to stop gracefully: the signal's default action ends the process at once. Once serving, stop cleanly.
            if (!Volatile.Read(ref serving))
            {
                return;
            }

            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

        var started = System.Diagnostics.Stopwatch.StartNew();
        SimulatedMesh mesh;
        try
        {
            Console.WriteLine($"Creating {options.Resolve().Count} simulated cluster(s)...");
            mesh = await SimulatedMesh.StartAsync(options);
            Volatile.Write(ref serving, true);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        await using (mesh)
        {
            try
            {
                await mesh.WriteKubeconfigAsync(full);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message} Pass --kubeconfig PATH to write the simulator's kubeconfig somewhere else.");
                return 2;
            }

            Console.WriteLine($"Started {mesh.Clusters.Count} simulated cluster(s) in {started.ElapsedMilliseconds} ms:");
            foreach (var c in mesh.Clusters)
            {
                var network = c.Options.Network is { } n ? $", network {n}" : "";
                var eastWest = c.Options.EastWestGateway ? $", east-west {c.EastWestLoadBalancerIp ?? c.NodeIp + " (NodePort)"}" : "";
                Console.WriteLine($"  {c.Name,-12} {c.Server}  Istio {c.IstioVersion}, Kubernetes {c.KubernetesVersion}, gateway {c.GatewayLoadBalancerIp ?? c.NodeIp + " (NodePort)"}{eastWest}{network}");
            }

            Console.WriteLine($"Kubeconfig: {full}");
            Console.WriteLine($"  try: kubectl --kubeconfig {full} --context {mesh.Clusters[0].Name} get pods -A");
            Console.WriteLine($"Admin endpoint: {mesh.AdminEndpoint}  (GET clusters, POST clusters/<name>/faults, POST partitions)");
            Console.WriteLine("Press Ctrl+C to stop.");
            await stop.Task;
            Console.WriteLine("Stopping.");
        }

        return 0;
    }
}
