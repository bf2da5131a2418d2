using System.Diagnostics;

namespace MeshPortal.Tests.Support;

/// <summary>Runs a command the portal shows (<c>kubectl …</c>) with real kubectl against a simulated cluster, as a user would.</summary>
internal static class Kubectl
{
    public static async Task RunAsync(string kubeconfig, string context, string command)
    {
        Assert.StartsWith("kubectl ", command);
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command["kubectl ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--context");
        start.ArgumentList.Add(context);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command}: {await stdout}{await stderr}");
    }
}
