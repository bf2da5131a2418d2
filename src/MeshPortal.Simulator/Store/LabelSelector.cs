using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// A parsed label selector: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>,
/// joined by commas (all must hold).
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            Match m;
            if ((m = SetRegex().Match(part)).Success)
            {
                var key = m.Groups[1].Value;
                var values = m.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
                var notIn = m.Groups[2].Value == "notin";
                selector._requirements.Add(l => notIn
                    ? !l.TryGetValue(key, out var v) || !values.Contains(v)
                    : l.TryGetValue(key, out var v2) && values.Contains(v2));
            }
            else if ((m = CompareRegex().Match(part)).Success)
            {
                var key = m.Groups[1].Value;
                var value = m.Groups[3].Value;
                var notEqual = m.Groups[2].Value == "!=";
                selector._requirements.Add(l => notEqual
                    ? !l.TryGetValue(key, out var v) || v != value
                    : l.TryGetValue(key, out var v2) && v2 == value);
            }
            else if ((m = ExistsRegex().Match(part)).Success)
            {
                var key = m.Groups[2].Value;
                var negate = m.Groups[1].Value == "!";
                selector._requirements.Add(l => l.ContainsKey(key) != negate);
            }
            else
            {
                throw ApiException.BadRequest($"unable to parse requirement: found '{part}', expected: in, notin, =, ==, !=, gt, lt");
            }
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        if (_requirements.Count == 0)
        {
            return true;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject l)
        {
            foreach (var (k, v) in l)
            {
                labels[k] = v?.ToString() ?? "";
            }
        }

        return _requirements.All(r => r(labels));
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^([A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?)\s+(in|notin)\s*\(([^)]*)\)$")]
    private static partial Regex SetRegex();

    [GeneratedRegex(@"^([A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?)\s*(==|!=|=)\s*([-A-Za-z0-9_.]*)$")]
    private static partial Regex CompareRegex();

    [GeneratedRegex(@"^(!?)\s*([A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?)$")]
    private static partial Regex ExistsRegex();
}
