using System.Globalization;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>Parses curl's argv: short flags (clustered, <c>-sSo /dev/null</c>, <c>-m5</c>), long flags, and URLs.</summary>
internal static class CurlCommandLine
{
    private sealed record Spec(string Long, char? Short, bool TakesArgument, Action<CurlOptions, string> Apply);

    private static readonly Spec[] Specs =
    [
        new("head", 'I', false, (o, _) => o.Head = true),
        new("include", 'i', false, (o, _) => o.Include = true),
        new("silent", 's', false, (o, _) => o.Silent = true),
        new("show-error", 'S', false, (o, _) => o.ShowError = true),
        new("fail", 'f', false, (o, _) => o.Fail = true),
        new("verbose", 'v', false, (o, _) => o.Verbose = true),
        new("location", 'L', false, (_, _) => { }),
        new("insecure", 'k', false, (_, _) => { }),
        new("http1.1", null, false, (_, _) => { }),
        new("output", 'o', true, (o, v) => o.Output = v),
        new("write-out", 'w', true, (o, v) => o.WriteOut = v),
        new("max-time", 'm', true, (o, v) => o.MaxTime = Seconds(v, "--max-time")),
        new("connect-timeout", null, true, (o, v) => o.ConnectTimeout = Seconds(v, "--connect-timeout")),
        new("header", 'H', true, (o, v) => AddHeader(o, v)),
        new("request", 'X', true, (o, v) => o.Method = v),
        new("data", 'd', true, (o, v) => o.Data = v),
        new("data-raw", null, true, (o, v) => o.Data = v),
        new("user-agent", 'A', true, (o, v) => o.UserAgent = v),
        new("url", null, true, (o, v) => o.Urls.Add(v)),
    ];

    /// <summary>The parsed options, or curl's complaint (stderr text; curl exits 2).</summary>
    public static (CurlOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new CurlOptions();
        try
        {
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
                {
                    var spec = Specs.FirstOrDefault(s => s.Long == arg[2..]) ?? throw new CurlUsageException($"option {arg}: is unknown");
                    spec.Apply(options, spec.TakesArgument ? Next(args, ref i, arg) : "");
                }
                else if (arg.StartsWith('-') && arg.Length > 1)
                {
                    for (var j = 1; j < arg.Length; j++)
                    {
                        var spec = Specs.FirstOrDefault(s => s.Short == arg[j]) ?? throw new CurlUsageException($"option -{arg[j]}: is unknown");
                        if (!spec.TakesArgument)
                        {
                            spec.Apply(options, "");
                            continue;
                        }

                        spec.Apply(options, j + 1 < arg.Length ? arg[(j + 1)..] : Next(args, ref i, $"-{arg[j]}"));
                        break;
                    }
                }
                else
                {
                    options.Urls.Add(arg);
                }
            }
        }
        catch (CurlUsageException e)
        {
            return (null, $"curl: {e.Message}\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        }

        return options.Urls.Count == 0
            ? (null, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
            : (options, null);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string option) =>
        ++i < args.Count ? args[i] : throw new CurlUsageException($"option {option}: requires parameter");

    private static double Seconds(string value, string option) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s >= 0
            ? s
            : throw new CurlUsageException($"option {option}: expected a proper numerical parameter");

    private static void AddHeader(CurlOptions options, string header)
    {
        var colon = header.IndexOf(':');
        if (colon > 0)
        {
            options.Headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }
    }

    private sealed class CurlUsageException(string message) : Exception(message);
}
