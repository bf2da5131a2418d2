using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

/// <summary>Field selectors on the fields every resource supports: metadata.name, metadata.namespace (= and !=), plus status.phase.</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var notEqual = part.Contains("!=", StringComparison.Ordinal);
            var pieces = part.Split(notEqual ? "!=" : part.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (pieces.Length != 2 || pieces[0] is not ("metadata.name" or "metadata.namespace" or "status.phase"))
            {
                throw ApiException.BadRequest($"\"{pieces[0]}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
            }

            selector._terms.Add((pieces[0], pieces[1], !notEqual));
        }

        return selector;
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var (path, value, equal) in _terms)
        {
            var parts = path.Split('.');
            var actual = (string?)obj[parts[0]]?[parts[1]] ?? "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
