using System.Text.RegularExpressions;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// A ratchet on the folder cycles inside MeshPortal.Core (issue 12). A folder depends on another when one of its files
/// names that folder's namespace (a <c>using</c> or a qualified name). Today's cycles are listed below; a change that adds
/// a dependency closing a new cycle fails here, and a change that breaks a listed one fails too until it leaves the list,
/// so the list only shrinks.
/// </summary>
[Trait("Speed", "Fast")]
public sealed partial class CoreFolderDependencyTests
{
    /// <summary>Edges that sit on a cycle today ("From->To"). Remove an entry when its cycle is gone; never add one.</summary>
    private static readonly HashSet<string> KnownCyclicEdges =
    [
        "Alerts->Persistence", "Alerts->Probes", "Alerts->Reconciliation", "Alerts->Clusters", "Alerts->Security", "Alerts->Audit", "Alerts->Trust",
        "Audit->Persistence",
        "Clusters->Audit", "Clusters->Kubernetes", "Clusters->MeshModel", "Clusters->Persistence", "Clusters->Security",
        "Exports->Audit", "Exports->Clusters", "Exports->Kubernetes", "Exports->MeshModel", "Exports->Notifications", "Exports->Persistence", "Exports->Reconciliation", "Exports->Security",
        "Kubernetes->Clusters", "Kubernetes->Reconciliation",
        "MeshModel->Clusters",
        "Notifications->Probes",
        "Persistence->Alerts", "Persistence->Reconciliation",
        "Probes->Clusters", "Probes->Exports", "Probes->Kubernetes", "Probes->Persistence", "Probes->Reconciliation", "Probes->Security", "Probes->Topology",
        "Reconciliation->Kubernetes", "Reconciliation->Notifications", "Reconciliation->Persistence", "Reconciliation->Security",
        "Security->Audit", "Security->Persistence",
        "Topology->Persistence", "Topology->Probes",
        "Trust->Audit", "Trust->Kubernetes", "Trust->Notifications", "Trust->Persistence", "Trust->Reconciliation", "Trust->Security",
    ];

    [Fact]
    public void NoNewCycleBetweenCoreFolders()
    {
        var cyclic = CyclicEdges(FolderGraph()).ToHashSet();
        var added = cyclic.Except(KnownCyclicEdges).Order().ToList();
        Assert.True(added.Count == 0,
            "These Core folder dependencies close a cycle (issue 12: no folder cycles in Core); depend the other way, or move "
            + "the shared contract below both folders: " + string.Join(", ", added));
    }

    [Fact]
    public void TheListOfKnownCyclesOnlyShrinks()
    {
        var cyclic = CyclicEdges(FolderGraph()).ToHashSet();
        var gone = KnownCyclicEdges.Except(cyclic).Order().ToList();
        Assert.True(gone.Count == 0, "No longer on a cycle, remove from KnownCyclicEdges: " + string.Join(", ", gone));
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
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj")).ToHashSet();
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
                        var target = m.Groups[1].Value;
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

    [GeneratedRegex(@"\bMeshPortal\.Core\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex CoreNamespace();
}
