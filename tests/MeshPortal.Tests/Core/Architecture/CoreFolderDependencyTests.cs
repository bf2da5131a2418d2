using System.Text.RegularExpressions;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// Issue 12: MeshPortal.Core is grouped into <c>Platform/&lt;X&gt;</c> (mechanisms that know no feature) and
/// <c>Features/&lt;X&gt;</c>. A folder depends on another when one of its files names that folder's namespace (a
/// <c>using</c> or a qualified name). No two folders may depend on each other, directly or around a cycle, and no
/// Platform folder may depend on a feature. docs/ARCHITECTURE.md lists the order of the folders.
/// </summary>
[Trait("Speed", "Fast")]
public sealed partial class CoreFolderDependencyTests
{
    [Fact]
    public void NoCycleBetweenCoreFolders()
    {
        var cyclic = CyclicEdges(FolderGraph()).Order().ToList();
        Assert.True(cyclic.Count == 0,
            "These Core folder dependencies close a cycle (issue 12: no folder cycles in Core); depend the other way, or move "
            + "the shared contract below both folders: " + string.Join(", ", cyclic));
    }

    [Fact]
    public void PlatformKnowsNoFeature()
    {
        var wrong = FolderGraph().SelectMany(kv => kv.Value.Select(to => (From: kv.Key, To: to)))
            .Where(e => e.From.StartsWith("Platform/", StringComparison.Ordinal) && e.To.StartsWith("Features/", StringComparison.Ordinal))
            .Select(e => $"{e.From}->{e.To}").Order().ToList();
        Assert.True(wrong.Count == 0, "Platform folders must not depend on features (put the contract in Platform and "
            + "implement it in the feature): " + string.Join(", ", wrong));
    }

    [Fact]
    public void CoreHasOnlyPlatformAndFeatureFolders()
    {
        var core = Path.Combine(Repo.Root(), "src", "MeshPortal.Core");
        var others = Directory.GetDirectories(core).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "Platform" or "Features")).Order().ToList();
        Assert.True(others.Count == 0, "Core code lives in Platform/<X> or Features/<X>; found: " + string.Join(", ", others));
        var loose = new[] { "Platform", "Features" }.SelectMany(top => Directory.GetFiles(Path.Combine(core, top), "*.cs"))
            .Select(Path.GetFileName).Order().ToList();
        Assert.True(loose.Count == 0, "A file directly in Platform/ or Features/ belongs to no folder, so the cycle check cannot see it: "
            + string.Join(", ", loose));
    }

    [Fact]
    public void TheCheckSeesACycle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        Assert.Equal(["A->B", "B->C", "C->A"], CyclicEdges(graph).Order());
    }

    private static Dictionary<string, HashSet<string>> FolderGraph()
    {
        var core = Path.Combine(Repo.Root(), "src", "MeshPortal.Core");
        var folders = new[] { "Platform", "Features" }.Where(top => Directory.Exists(Path.Combine(core, top)))
            .SelectMany(top => Directory.GetDirectories(Path.Combine(core, top)).Select(d => top + "/" + Path.GetFileName(d)))
            .ToHashSet();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>());
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (Match m in CoreNamespace().Matches(line))
                    {
                        var target = m.Groups[1].Value + "/" + m.Groups[2].Value;
                        if (target != folder && folders.Contains(target))
                        {
                            graph[folder].Add(target);
                        }
                    }
                }
            }
        }

        Assert.True(graph.Count > 10, "Core folders not found under " + core);
        return graph;
    }

    /// <summary>Edges whose ends lie in one strongly connected component (Tarjan), i.e. every edge on some cycle.</summary>
    private static IEnumerable<string> CyclicEdges(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var component = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var next = 0;
        var components = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component[w] = components;
                }
                while (w != v);
                components++;
            }
        }

        foreach (var v in graph.Keys.Order())
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return graph.SelectMany(e => e.Value.Where(t => component.TryGetValue(t, out var c) && c == component[e.Key])
            .Select(t => $"{e.Key}->{t}"));
    }

    [GeneratedRegex(@"\bMeshPortal\.Core\.(Platform|Features)\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex CoreNamespace();
}
