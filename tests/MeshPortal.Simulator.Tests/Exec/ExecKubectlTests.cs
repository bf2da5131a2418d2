using System.Diagnostics;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Exec;

/// <summary>Real <c>kubectl exec</c> (v5 WebSocket) against the simulator; skipped when /usr/bin/kubectl is missing.</summary>
public sealed class ExecKubectlTests(ExecMeshFixture fx) : IClassFixture<ExecMeshFixture>
{
    private async Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlFactAttribute.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--kubeconfig", fx.KubeconfigPath, "--cache-dir", Path.Combine(fx.TempDirectory, "kubectl-cache"), "--context", "cluster-1" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = fx.TempDirectory;
        using var process = Process.Start(psi)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [KubectlFact]
    public async Task The_seed_command_works()
    {
        var (exit, stdout, stderr) = await KubectlAsync(null, "exec", fx.SleepPod, "-n", "foo", "-c", "sleep", "--", "curl", "-I", "httpbin.bar.global:8000/headers");

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("HTTP/1.1 200 OK\r\nserver: envoy\r\n", stdout);
    }

    [KubectlFact]
    public async Task Exit_codes_and_stderr_reach_kubectl()
    {
        var (exit, _, stderr) = await KubectlAsync(null, "exec", fx.SleepPod, "-n", "foo", "--", "sh", "-c", "curl -sS nope.global; exit 3");

        Assert.Equal(3, exit);
        Assert.Contains("curl: (6) Could not resolve host: nope.global", stderr);
        Assert.Contains("command terminated with exit code 3", stderr);
    }

    [KubectlFact]
    public async Task Stdin_is_passed_with_i()
    {
        var (exit, stdout, stderr) = await KubectlAsync("piped through\n", "exec", "-i", fx.SleepPod, "-n", "foo", "--", "cat");

        Assert.True(exit == 0, stderr);
        Assert.Equal("piped through\n", stdout);
    }
}
