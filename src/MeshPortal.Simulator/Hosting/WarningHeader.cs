using System.Text;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// An RFC 7234 warning header as the API server writes it (k8s.io/apimachinery <c>net.NewWarningHeader</c>):
/// <c>299 - "text"</c> with backslashes and quotes escaped; kubectl prints the text as "Warning: text".
/// </summary>
internal static class WarningHeader
{
    public static string Format(string text)
    {
        var sb = new StringBuilder("299 - \"");
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                // Header values must be printable ASCII here; the API server also replaces unprintable characters.
                < ' ' or > '~' => " ",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
