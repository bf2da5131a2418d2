using System.Diagnostics;
using System.Globalization;
using MeshPortal.Simulator.Cli;

namespace MeshPortal.Simulator.Tests.Cli;

/// <summary>The standalone simulator's command line: per-cluster settings, a config file, and a kubeconfig it may not overwrite.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Cluster_flags_set_one_cluster_on_top_of_the_defaults_and_add_new_ones()
    {
        var (options, kubeconfig) = CommandLine.Parse(["--clusters", "2", "--istio-version", "1.22.0",
            "--cluster", "cluster-2:istio=1.24.3,network=net2,globalNetwork=net2,eastWestGateway=true,istiodEnv.PILOT_X=1",
            "--cluster", "extra:kubeDns=true"]);

        var clusters = options!.Resolve();
        Assert.Equal(["cluster-1", "cluster-2", "extra"], clusters.Select(c => c.Name));
        Assert.Equal(("1.22.0", "1.24.3", "1.22.0"), (clusters[0].IstioVersion, clusters[1].IstioVersion, clusters[2].IstioVersion));
        Assert.True(clusters[1].EastWestGateway && clusters[2].UseKubeDns);
        Assert.Equal(("net2", "1"), (clusters[1].GlobalNetwork, clusters[1].IstiodEnv["PILOT_X"]));
        Assert.Equal(SimulatorProgram.DefaultKubeconfig, kubeconfig);
    }

    [Theory]
    [InlineData("cluster-1:nope=1", "unknown key \"nope\"")]
    [InlineData("cluster-1:dnsCapture=maybe", "dnsCapture must be true or false")]
    [InlineData(":istio=1.24.3", "needs a cluster name")]
    [InlineData("cluster-1:istio=1.24.3,legacyAutoPassthrough=true", "1.24.3 has no such flag")]
    public void Bad_cluster_settings_are_refused_with_the_reason(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--cluster", spec]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_yaml_config_file_binds_every_setting_and_refuses_unknown_ones()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sim-config-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(file, """
                Clusters: 1
                Defaults:
                  IstioVersion: 1.24.3
                  CacertsAtInstall: true
                ClusterOverrides:
                - Name: east
                  IstioVersion: 1.18.0
                  LegacyAutoPassthrough: true
                  ProxyMetadata:
                    ISTIO_META_DNS_CAPTURE: "true"
                """);
            var (options, _) = CommandLine.Parse(["--config", file, "--kube-dns"]);
            var clusters = options!.Resolve();
            Assert.Equal(["cluster-1", "east"], clusters.Select(c => c.Name));
            Assert.True(clusters[0].CacertsAtInstall && clusters[0].UseKubeDns && clusters[1].LegacyAutoPassthrough);
            Assert.Equal("true", clusters[1].ProxyMetadata["ISTIO_META_DNS_CAPTURE"]);

            File.WriteAllText(file, "Defaults:\n  IstioVersoin: 1.24.3\n");
            var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--config", file]));
            Assert.Contains("IstioVersoin", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_kubeconfig_another_running_simulator_wrote_or_a_foreign_one_is_not_overwritten()
    {
        var dir = Directory.CreateTempSubdirectory("sim-kubeconfig-").FullName;
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var theirs = Path.Combine(dir, "theirs");
            var started = other.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
            File.WriteAllText(theirs, $"# written by meshportal-simulator pid={other.Id} started={started}\napiVersion: v1\n");
            Assert.False(CommandLine.MayOverwrite(theirs, out var why));
            Assert.Contains($"process {other.Id}", why);
            await using var mesh = await SimulatedMesh.CreateAsync(new SimulatorOptions { Clusters = 1 });
            await Assert.ThrowsAsync<IOException>(() => mesh.WriteKubeconfigAsync(theirs));

            var foreign = Path.Combine(dir, "foreign");
            File.WriteAllText(foreign, "apiVersion: v1\nkind: Config\n");
            Assert.False(CommandLine.MayOverwrite(foreign, out why));
            Assert.Contains("was not written by the simulator", why);

            var ours = Path.Combine(dir, "ours");
            await mesh.WriteKubeconfigAsync(ours);
            Assert.True(CommandLine.MayOverwrite(ours, out _));
            other.Kill();
            await other.WaitForExitAsync();
            Assert.True(CommandLine.MayOverwrite(theirs, out _));
        }
        finally
        {
            if (!other.HasExited)
            {
                other.Kill();
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// SIGTERM while the clusters are still created and seeded (seconds with thousands of extra services) ends the process at
    /// once; it was held until seeding finished. Once serving, SIGTERM stops cleanly, as before.
    /// </summary>
    [Fact]
    public async Task A_signal_while_seeding_ends_the_process_at_once_and_one_while_serving_stops_cleanly()
    {
        var dir = Directory.CreateTempSubdirectory("sim-signal-").FullName;
        try
        {
            var (seeding, seedingOutput) = StartCli($"--clusters 1 --cluster cluster-1:extraServices=40000 --kubeconfig {Path.Combine(dir, "a")}");
            using (seeding)
            {
                await WaitForLineAsync(seeding, seedingOutput, "Creating 1 simulated cluster(s)");
                await SignalAsync(seeding);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await seeding.WaitForExitAsync(timeout.Token);
                Assert.Equal(143, seeding.ExitCode); // 128 + SIGTERM: the signal's default action
                Assert.DoesNotContain("Started", seedingOutput.ToString());
            }

            var (serving, servingOutput) = StartCli($"--clusters 1 --kubeconfig {Path.Combine(dir, "b")}");
            using (serving)
            {
                await WaitForLineAsync(serving, servingOutput, "Press Ctrl+C to stop.");
                await SignalAsync(serving);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await serving.WaitForExitAsync(timeout.Token);
                Assert.Equal(0, serving.ExitCode);
                Assert.Contains("Stopping.", servingOutput.ToString());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static (Process Process, System.Text.StringBuilder Output) StartCli(string arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "meshportal-simulator.dll"));
        foreach (var arg in arguments.Split(' '))
        {
            start.ArgumentList.Add(arg);
        }

        var output = new System.Text.StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static async Task WaitForLineAsync(Process process, System.Text.StringBuilder output, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            lock (output)
            {
                if (output.ToString().Contains(line, StringComparison.Ordinal))
                {
                    return;
                }
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"the simulator did not print \"{line}\" (exited: {process.HasExited}); output:\n{output}");
            }

            using var tick = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            try
            {
                await process.WaitForExitAsync(tick.Token); // the next look at the output, or at once when it exits
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static async Task SignalAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
