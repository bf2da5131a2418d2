namespace MeshPortal.Simulator.Mesh;

/// <summary>An HTTP response as curl receives it (header names as Envoy writes them: lower case).</summary>
internal sealed record HttpReply(int Status, string ReasonPhrase, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    public string StatusLine => $"HTTP/1.1 {Status} {ReasonPhrase}";

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
