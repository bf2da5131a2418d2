using System.Globalization;
using System.Text;

namespace MeshPortal.Core.Platform.Audit;

/// <summary>
/// CSV of audit entries (RFC 4180 quoting). Cells that a spreadsheet would run as a formula — starting with
/// <c>= + - @</c>, tab or carriage return — get a leading apostrophe, so a name like <c>=HYPERLINK(...)</c> stays text.
/// </summary>
public static class AuditCsv
{
    public static readonly string[] Header =
        ["id", "at_utc", "actor", "token", "remote_ip", "user_agent", "action", "target_kind", "target", "outcome", "summary", "before", "after"];

    public static string HeaderLine() => Line(Header);

    public static string Row(AuditEntryView e) => Line(
    [
        e.Id.ToString(CultureInfo.InvariantCulture),
        e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        e.Actor, e.TokenName, e.RemoteIp, e.UserAgent, e.Action, e.TargetKind, e.Target, e.Outcome, e.Summary, e.Before, e.After,
    ]);

    public static string Line(IEnumerable<string?> cells) => string.Join(",", cells.Select(Cell)) + "\r\n";

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<AuditEntryView> entries, CancellationToken ct)
    {
        await writer.WriteAsync(HeaderLine().AsMemory(), ct);
        await foreach (var entry in entries.WithCancellation(ct))
        {
            await writer.WriteAsync(Row(entry).AsMemory(), ct);
        }

        await writer.FlushAsync(ct);
    }

    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
}
