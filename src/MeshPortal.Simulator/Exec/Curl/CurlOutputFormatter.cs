using System.Globalization;
using System.Text;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>curl's text: the header block of <c>-I</c>/<c>-i</c>, the progress meter, <c>-v</c> lines, error lines.</summary>
internal static class CurlOutputFormatter
{
    public static string HeaderBlock(Mesh.HttpReply reply)
    {
        var text = new StringBuilder(reply.StatusLine).Append("\r\n");
        foreach (var (name, value) in reply.Headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    public static string ErrorLine(CurlTransfer transfer) => $"curl: ({transfer.ExitCode}) {transfer.Error}\n";

    public const string MeterHeader =
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
        "                                 Dload  Upload   Total   Spent    Left  Speed\n";

    /// <summary>The meter curl prints on stderr when stdout is not a terminal (or with -o) and neither -s nor -v is given.</summary>
    public static string ProgressMeter(CurlTransfer transfer, bool head)
    {
        var reply = transfer.Reply;
        long total = long.TryParse(reply?.Header("content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var cl) ? cl : 0;
        long received = reply is null || head ? 0 : Encoding.UTF8.GetByteCount(reply.Body);
        var pct = total > 0 && received >= total ? 100 : 0;
        var speed = transfer.TimeTotal > 0 ? (long)(received / transfer.TimeTotal) : 0;
        var spent = TimeText(transfer.TimeTotal);
        return MeterHeader
            + Line(0, 0, 0, 0, "--:--:--") + Line(pct, total, pct, received, spent, speed) + "\n";

        static string Line(int pct, long total, int rpct, long received, string spent, long speed = 0) =>
            string.Create(CultureInfo.InvariantCulture,
                $"\r{pct,3} {Max5(total),5}  {rpct,3} {Max5(received),5}    0     0  {Max5(speed),5}      0 --:--:-- {spent,8} --:--:-- {Max5(speed),5}");
    }

    public static string VerboseRequest(CurlTransfer transfer, CurlOptions options, string hostHeader)
    {
        var url = transfer.Url!;
        var answer = transfer.Answer!;
        var text = new StringBuilder();
        if (answer.Address is null)
        {
            return $"* Could not resolve host: {url.Host}\n* Closing connection 0\n";
        }

        text.Append(CultureInfo.InvariantCulture, $"*   Trying {answer.Address}:{url.Port}...\n* TCP_NODELAY set\n");
        if (transfer.ExitCode is 7 or 28 && transfer.TimeConnect == 0)
        {
            return text.Append(CultureInfo.InvariantCulture, $"* {transfer.Error}\n* Closing connection 0\n").ToString();
        }

        text.Append(CultureInfo.InvariantCulture, $"* Connected to {url.Host} ({answer.Address}) port {url.Port} (#0)\n");
        text.Append(CultureInfo.InvariantCulture, $"> {options.EffectiveMethod} {url.PathAndQuery} HTTP/1.1\n> Host: {hostHeader}\n> User-Agent: {options.UserAgent}\n> Accept: */*\n");
        foreach (var (name, value) in options.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append(CultureInfo.InvariantCulture, $"> {name}: {value}\n");
        }

        text.Append("> \n");
        if (transfer.Reply is { } reply)
        {
            text.Append("< ").Append(reply.StatusLine).Append('\n');
            foreach (var (name, value) in reply.Headers)
            {
                text.Append(CultureInfo.InvariantCulture, $"< {name}: {value}\n");
            }

            text.Append("< \n");
        }

        return text.Append(transfer.ExitCode == 0
            ? $"* Connection #0 to host {url.Host} left intact\n"
            : $"* {transfer.Error}\n* Closing connection 0\n").ToString();
    }

    private static string TimeText(double seconds)
    {
        var s = (long)seconds;
        return s <= 0 ? "--:--:--" : string.Create(CultureInfo.InvariantCulture, $"{s / 3600}:{s / 60 % 60:00}:{s % 60:00}");
    }

    private static string Max5(long n) =>
        n < 100000 ? n.ToString(CultureInfo.InvariantCulture)
        : n < 10L * 1024 * 1024 ? string.Create(CultureInfo.InvariantCulture, $"{n / 1024}k")
        : string.Create(CultureInfo.InvariantCulture, $"{n / (1024 * 1024)}M");
}
