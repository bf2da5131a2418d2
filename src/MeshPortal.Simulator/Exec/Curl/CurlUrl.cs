using System.Globalization;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>A URL as curl reads it: scheme optional (http), host[:port], path default "/".</summary>
internal sealed record CurlUrl(string Scheme, string Host, int Port, string PathAndQuery, bool ExplicitPort)
{
    public string Effective => $"{Scheme}://{Host}{(ExplicitPort ? ":" + Port.ToString(CultureInfo.InvariantCulture) : "")}{PathAndQuery}";

    /// <summary>The URL, or curl's error (exit code and message).</summary>
    public static (CurlUrl? Url, int ExitCode, string? Error) Parse(string text)
    {
        var rest = text.Trim();
        var scheme = "http";
        var sep = rest.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0)
        {
            scheme = rest[..sep].ToLowerInvariant();
            rest = rest[(sep + 3)..];
        }

        if (scheme is not ("http" or "https"))
        {
            return (null, 1, $"Protocol \"{scheme}\" not supported or disabled in libcurl");
        }

        var pathStart = rest.IndexOfAny(['/', '?', '#']);
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        var path = pathStart < 0 ? "/" : rest[pathStart..];
        var hash = path.IndexOf('#');
        path = hash >= 0 ? path[..hash] : path;
        path = path.StartsWith('?') ? "/" + path : path;
        var at = authority.LastIndexOf('@');
        authority = at >= 0 ? authority[(at + 1)..] : authority;

        var host = authority;
        var port = scheme == "https" ? 443 : 80;
        var explicitPort = false;
        var colon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.LastIndexOf(':');
        if (colon > 0)
        {
            host = authority[..colon];
            if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return (null, 3, "URL using bad/illegal format or missing URL");
            }

            explicitPort = true;
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '"' or '\\'))
        {
            return (null, 3, "URL using bad/illegal format or missing URL");
        }

        return (new CurlUrl(scheme, host, port, path, explicitPort), 0, null);
    }
}
