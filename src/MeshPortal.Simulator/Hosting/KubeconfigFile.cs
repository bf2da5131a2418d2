using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// Who wrote a kubeconfig file: the simulator marks the files it writes with a first comment line naming its process (id and start
/// time, so a reused process id does not count), which kubectl and client libraries ignore. A file whose writer still runs belongs
/// to that process: the portal's demo and a standalone simulator must not overwrite each other's kubeconfig.
/// </summary>
internal static partial class KubeconfigFile
{
    private const string Prefix = "# written by meshportal-simulator";

    public static string Marker()
    {
        using var self = Process.GetCurrentProcess();
        return $"{Prefix} pid={Environment.ProcessId} started={self.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}\n";
    }

    /// <summary>Whether the file's first line is the simulator's marker.</summary>
    public static bool WrittenBySimulator(string path) => FirstLine(path)?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The process id of another, still running simulator that wrote the file; null when there is none.</summary>
    public static int? LiveOtherWriter(string path)
    {
        var match = FirstLine(path) is { } line ? MarkerPattern().Match(line) : Match.Empty;
        if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);

            // Linux derives a process's start time from the boot time, which two readers may compute a few milliseconds apart.
            var recorded = DateTimeOffset.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            var sameProcess = (new DateTimeOffset(process.StartTime.ToUniversalTime()) - recorded).Duration() < TimeSpan.FromSeconds(2);
            return sameProcess && !process.HasExited ? pid : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? FirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"pid=(\d+) started=(\S+)")]
    private static partial Regex MarkerPattern();
}
