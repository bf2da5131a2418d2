using System.Diagnostics;

namespace MeshPortal.Simulator.Tests.Support;

/// <summary>Runs the real kubectl against a fixture's kubeconfig with a private cache directory.</summary>
public sealed class Kubectl(MeshFixture fx)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public async Task<Result> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(KubectlFactAttribute.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(fx.KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(fx.TempDirectory, "kubectl-cache"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = fx.TempDirectory;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}{r.Stdout}");
        return r.Stdout;
    }
}
