using System.Globalization;

namespace MeshPortal.Simulator.Cli;

/// <summary>Parses the command line into simulator options; bad input throws <see cref="ArgumentException"/> naming the flag.</summary>
internal static class CommandLine
{
    /// <summary>The options and the kubeconfig path; null options for --help.</summary>
    public static (SimulatorOptions? Options, string Kubeconfig) Parse(string[] args)
    {
        var kubeconfig = SimulatorProgram.DefaultKubeconfig;
        var configFile = args.SkipWhile(a => a != "--config").Skip(1).FirstOrDefault();
        if (args.Contains("--config") && configFile is null)
        {
            throw new ArgumentException("--config needs a value");
        }

        var options = configFile is null ? new SimulatorOptions() : SimulatorOptions.Load(configFile);
        var clusterSpecs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{args[i]} needs a number");
            switch (args[i])
            {
                case "--clusters": options.Clusters = Number(); break;
                case "--cluster": clusterSpecs.Add(Next()); break;
                case "--config": Next(); break;
                case "--kubeconfig": kubeconfig = Next(); break;
                case "--istio-version": options.Defaults.IstioVersion = Next(); break;
                case "--extra-services": options.Defaults.ExtraServices = Number(); break;
                case "--kube-dns": options.Defaults.UseKubeDns = true; break;
                case "--no-load-balancer": options.Defaults.GatewayHasLoadBalancer = false; break;
                case "--admin-port": options.AdminPort = Number(); break;
                case "-h" or "--help": return (null, kubeconfig);
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        foreach (var spec in clusterSpecs)
        {
            ClusterArguments.Apply(options, spec);
        }

        if (options.Clusters is < 0 or > 500 || options.Clusters + options.ClusterOverrides.Count == 0)
        {
            throw new ArgumentException("--clusters must be between 1 and 500 (or 0 with --cluster entries)");
        }

        options.Resolve(); // every cluster's settings are checked now, with the cluster's name in the message
        return (options, kubeconfig);
    }

    /// <summary>Only a kubeconfig the simulator wrote, whose writer is gone (or is us), may be replaced.</summary>
    public static bool MayOverwrite(string path, out string why)
    {
        why = SimulatedMesh.KubeconfigRefusal(path, requireSimulatorFile: true) ?? "";
        return why.Length == 0;
    }
}
