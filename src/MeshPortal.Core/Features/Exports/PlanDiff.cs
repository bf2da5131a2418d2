using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

public enum ChangeAction
{
    Create,
    Update,
    Delete,
}

/// <summary>One object a change would create, change or delete in one cluster, with its YAML diff.</summary>
public sealed record ObjectChange(ChangeAction Action, string Kind, string? Namespace, string Name, string Source, IReadOnlyList<string> Diff)
{
    public string Title => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>
/// Compares two plans of one cluster. An Owned object that disappears is deleted (pruned); a Merge or CreateOnly object
/// that disappears is left in the cluster, so it is no change. Objects are matched by kind, namespace and name. Pure.
/// </summary>
public static class PlanDiff
{
    /// <param name="live">When given, a Merge object only the new plan has is compared with the live object's same fields (an update, not a create).</param>
    public static IReadOnlyList<ObjectChange> Compare(IReadOnlyList<DesiredObject> before, IReadOnlyList<DesiredObject> after, LiveObjects? live = null)
    {
        var old = before.GroupBy(Key).ToDictionary(g => g.Key, g => g.Last());
        var now = after.GroupBy(Key).ToDictionary(g => g.Key, g => g.Last());
        var changes = new List<ObjectChange>();
        foreach (var (key, desired) in now)
        {
            if (!old.TryGetValue(key, out var previous) && desired.Mode == ApplyMode.Merge && live?.Get(desired.Ref) is { } current)
            {
                previous = desired with { Body = LiveFields(desired.Body, current) };
            }

            if (previous is null)
            {
                changes.Add(Change(ChangeAction.Create, desired, "", ManifestYaml.Render(desired.Body)));
            }
            else if (!JsonNode.DeepEquals(previous.Body, desired.Body) && desired.Mode != ApplyMode.CreateOnly)
            {
                changes.Add(Change(ChangeAction.Update, desired, ManifestYaml.Render(previous.Body), ManifestYaml.Render(desired.Body)));
            }
        }

        foreach (var (key, previous) in old.Where(o => !now.ContainsKey(o.Key) && o.Value.Mode == ApplyMode.Owned))
        {
            changes.Add(Change(ChangeAction.Delete, previous, ManifestYaml.Render(previous.Body), ""));
        }

        return [.. changes.OrderBy(c => c.Action).ThenBy(c => c.Title, StringComparer.Ordinal)];
    }

    /// <summary>The desired body with each data value replaced by the live one (absent when the live object lacks it).</summary>
    private static JsonObject LiveFields(JsonObject desired, JsonObject live)
    {
        var copy = desired.DeepClone().AsObject();
        if (copy["data"] is JsonObject data)
        {
            foreach (var key in data.Select(p => p.Key).ToList())
            {
                if (live["data"]?[key] is { } value)
                {
                    data[key] = value.DeepClone();
                }
                else
                {
                    data.Remove(key);
                }
            }
        }

        return copy;
    }

    private static (string, string?, string) Key(DesiredObject o) => (o.Ref.Kind, o.Ref.Namespace, o.Ref.Name);

    private static ObjectChange Change(ChangeAction action, DesiredObject o, string before, string after) =>
        new(action, o.Ref.Kind, o.Ref.Namespace, o.Ref.Name, o.Source, LineDiff.Compare(before, after));
}
