using System.Text;
using k8s;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>What a command run in a container printed, and how it exited.</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Pod exec (WebSocket, <c>v4.channel.k8s.io</c>) behind <see cref="IClusterGateway.ExecAsync"/>.</summary>
internal static class KubeExecOperations
{
    /// <summary>Output beyond this many characters per stream is dropped (a probe prints a few lines per target).</summary>
    public const int MaxOutputChars = 4 * 1024 * 1024;

    public static async Task<ExecResult> ExecAsync(IKubernetes k, string ns, string pod, string container, string[] command, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = "";
        var stderr = "";
        var what = $"Running a command in pod {ns}/{pod}";
        try
        {
            var exit = await ClusterCallMapper.Run(what, () => k.NamespacedPodExecAsync(pod, ns, container, command, false,
                async (_, output, error) =>
                {
                    var o = ReadAsync(output, limit.Token);
                    var e = ReadAsync(error, limit.Token);
                    stdout = await o.ConfigureAwait(false);
                    stderr = await e.ConfigureAwait(false);
                }, limit.Token), ct).ConfigureAwait(false);
            return new ExecResult(exit, stdout, stderr);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ClusterCallException(ClusterCallErrorKind.Timeout, $"{what}: no answer within {timeout.TotalSeconds:0.#} s.");
        }
    }

    private static async Task<string> ReadAsync(Stream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (text.Length < MaxOutputChars)
            {
                text.Append(buffer, 0, Math.Min(read, MaxOutputChars - text.Length));
            }
        }

        return text.ToString();
    }
}
