using System.Globalization;
using System.Text;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>Expands a <c>-w</c> format: <c>%{variable}</c>, <c>%%</c>, and the escapes <c>\n \r \t \\</c>.</summary>
internal static class CurlWriteOut
{
    /// <returns>The text for stdout, and warnings for stderr (unknown variables).</returns>
    public static (string Text, string Warnings) Expand(string format, CurlTransfer transfer)
    {
        var text = new StringBuilder();
        var warnings = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '%' && i + 1 < format.Length && format[i + 1] == '%')
            {
                text.Append('%');
                i++;
            }
            else if (c == '%' && i + 1 < format.Length && format[i + 1] == '{' && format.IndexOf('}', i) is var end && end > 0)
            {
                var name = format[(i + 2)..end];
                if (Variable(name, transfer) is { } value)
                {
                    text.Append(value);
                }
                else
                {
                    warnings.Append(CultureInfo.InvariantCulture, $"curl: unknown --write-out variable: '{name}'\n");
                }

                i = end;
            }
            else if (c == '\\' && i + 1 < format.Length && format[i + 1] is 'n' or 'r' or 't' or '\\')
            {
                text.Append(format[i + 1] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => '\\' });
                i++;
            }
            else
            {
                text.Append(c);
            }
        }

        return (text.ToString(), warnings.ToString());
    }

    private static string? Variable(string name, CurlTransfer t) => name switch
    {
        "http_code" or "response_code" => t.HttpCode.ToString("000", CultureInfo.InvariantCulture),
        "time_total" => Seconds(t.TimeTotal),
        "time_connect" => Seconds(t.TimeConnect),
        "time_namelookup" => Seconds(t.Answer?.Address is null ? 0 : 0.00004),
        "exitcode" => t.ExitCode.ToString(CultureInfo.InvariantCulture),
        "errormsg" => t.Error ?? "",
        "url_effective" => t.Url?.Effective ?? t.RawUrl,
        "remote_ip" => t.HttpCode > 0 ? t.Answer?.Address ?? "" : "",
        "remote_port" => t.HttpCode > 0 && t.Url is not null ? t.Url.Port.ToString(CultureInfo.InvariantCulture) : "",
        "size_download" => (t.Reply?.Body.Length ?? 0).ToString(CultureInfo.InvariantCulture),
        "content_type" => t.Reply?.Header("content-type") ?? "",
        _ => null,
    };

    private static string Seconds(double s) => s.ToString("0.000000", CultureInfo.InvariantCulture);
}
