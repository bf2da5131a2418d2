using System.Globalization;

namespace MeshPortal.Core.Features.Probes;

/// <summary>What curl reported for one target: the write-out fields and what it printed (body or error text).</summary>
public sealed record CurlOutcome(int HttpCode, double TimeTotalSeconds, int ExitCode, string Text);

/// <summary>Splits the output of a <see cref="ProbeScript"/> into one <see cref="CurlOutcome"/> per target index.</summary>
public static class ProbeOutputParser
{
    public const int MaxTextChars = 500;

    /// <returns>Outcomes by target index; a target whose end marker is missing (the exec was cut short) is absent.</returns>
    public static IReadOnlyDictionary<int, CurlOutcome> Parse(string stdout)
    {
        var results = new Dictionary<int, CurlOutcome>();
        int? current = null;
        int? finished = null;
        var text = new System.Text.StringBuilder();
        foreach (var raw in (stdout ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(ProbeScript.BeginMarker + " ", StringComparison.Ordinal))
            {
                current = int.TryParse(line[(ProbeScript.BeginMarker.Length + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : null;
                finished = null;
                text.Clear();
            }
            else if (line.StartsWith(ProbeScript.EndMarker + " ", StringComparison.Ordinal))
            {
                if (TryParseEnd(line, out var index, out var code, out var time, out var exit) && (current is null || current == index))
                {
                    results[index] = new CurlOutcome(code, time, exit, Shorten(text.ToString()));
                    finished = index;
                }

                current = null;
                text.Clear();
            }
            else if (finished is int done && line.Length > 0)
            {
                // Real curl prints its error message after the write-out: it still belongs to the target just finished.
                var previous = results[done];
                results[done] = previous with { Text = Shorten(previous.Text.Length == 0 ? line : previous.Text + "\n" + line) };
            }
            else if (current is not null && text.Length <= MaxTextChars)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(line);
            }
        }

        return results;
    }

    private static bool TryParseEnd(string line, out int index, out int code, out double time, out int exit)
    {
        index = code = exit = 0;
        time = 0;
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 5
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out code)
            && double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out time)
            && int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out exit);
    }

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxTextChars ? trimmed : trimmed[..MaxTextChars] + "…";
    }
}
