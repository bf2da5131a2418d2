using System.Globalization;
using System.Text;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Builds the one <c>sh -c</c> script a consumer cluster runs per cycle: for every target a begin marker, a curl with its own
/// <c>--max-time</c> (stderr folded into stdout, so each target's error text stays with it), and an end marker carrying
/// <c>%{http_code} %{time_total} %{exitcode}</c>. Only simple commands joined by <c>;</c>: it runs in busybox sh as in the simulator.
/// </summary>
public static class ProbeScript
{
    public const string BeginMarker = "@@mpb";
    public const string EndMarker = "@@mpe";

    public static string Build(IReadOnlyList<ProbeTarget> targets, TimeSpan maxTimePerTarget)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var seconds = Math.Max(1, (int)Math.Ceiling(maxTimePerTarget.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var script = new StringBuilder();
        for (var i = 0; i < targets.Count; i++)
        {
            var t = targets[i];
            if (!IsSafeHost(t.Host) || t.Port is < 1 or > 65535)
            {
                throw new ArgumentException($"Refusing to probe '{t.Host}:{t.Port}': not a plain DNS name and port.", nameof(targets));
            }

            var index = i.ToString(CultureInfo.InvariantCulture);
            if (i > 0)
            {
                script.Append("; ");
            }

            script.Append("echo ").Append(BeginMarker).Append(' ').Append(index)
                .Append("; curl -sS --max-time ").Append(seconds)
                .Append(" -w '\\n").Append(EndMarker).Append(' ').Append(index).Append(" %{http_code} %{time_total} %{exitcode}\\n' ")
                .Append("http://").Append(t.Host).Append(':').Append(t.Port.ToString(CultureInfo.InvariantCulture)).Append("/ 2>&1");
        }

        return script.Append(targets.Count == 0 ? "true" : "; true").ToString();
    }

    /// <summary>The argv for pods/exec.</summary>
    public static string[] Command(IReadOnlyList<ProbeTarget> targets, TimeSpan maxTimePerTarget) => ["sh", "-c", Build(targets, maxTimePerTarget)];

    /// <summary>How long the whole exec may take: every target may use its full budget (they run one after another).</summary>
    public static TimeSpan ExecBudget(int targetCount, TimeSpan maxTimePerTarget) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(maxTimePerTarget.TotalSeconds)) * Math.Max(1, targetCount) + 15);

    /// <summary>
    /// Splits the targets into as few scripts as possible whose URL-encoded argv stays under <paramref name="maxEncodedChars"/>
    /// (pods/exec carries the command in the query string; API servers and proxies limit the request line). With the default
    /// budget a cluster consuming 40-odd ports needs one exec; more targets take ceil(n / batch) execs, still O(clusters).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ProbeTarget>> Split(IReadOnlyList<ProbeTarget> targets, TimeSpan maxTimePerTarget, int maxEncodedChars)
    {
        var batches = new List<IReadOnlyList<ProbeTarget>>();
        var current = new List<ProbeTarget>();
        var size = 0;
        foreach (var t in targets)
        {
            var cost = Uri.EscapeDataString(Build([t], maxTimePerTarget)).Length + 20;
            if (current.Count > 0 && size + cost > maxEncodedChars)
            {
                batches.Add(current);
                current = [];
                size = 0;
            }

            current.Add(t);
            size += cost;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>Letters, digits, dots and dashes only: nothing the shell could interpret.</summary>
    public static bool IsSafeHost(string host) =>
        host.Length is > 0 and <= 253 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
