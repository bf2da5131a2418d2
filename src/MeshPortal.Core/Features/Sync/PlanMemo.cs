using System.Text.Json;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// What a push must know of one planner's output without its objects: the hash the digest takes (<see cref="SyncDigest.OfPlan"/>),
/// its notes, the types of the objects it owns (to list them) and the objects it merges into or creates only (to read them).
/// A cluster's in-sync run stores one per keyed planner (<see cref="IClusterPlanner.InputKey"/>); the next push with the same
/// <see cref="Key"/> uses it instead of planning, and plans after all only if the cluster's digest then differs.
/// </summary>
public sealed record PlanMemo(string Key, string Hash, IReadOnlyList<string> Notes, IReadOnlyList<ObjectRef> OwnedTypes, IReadOnlyList<ObjectRef> Unowned)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The memo of a contribution planned now (pure).</summary>
    public static PlanMemo Of(string key, PlanContribution contribution)
    {
        ArgumentNullException.ThrowIfNull(contribution);
        var objects = contribution.Objects;
        return new PlanMemo(key, SyncDigest.OfPlan(objects, contribution.Notes), contribution.Notes,
            [.. objects.Where(d => d.Mode == ApplyMode.Owned).Select(d => d.Ref with { Namespace = null, Name = "" }).Distinct()],
            [.. objects.Where(d => d.Mode != ApplyMode.Owned).Select(d => d.Ref)]);
    }

    /// <summary>The memos of a run, by planner name, as stored on <see cref="SyncRunEntity.PlanMemos"/>.</summary>
    public static string Write(IReadOnlyDictionary<string, PlanMemo> memos) => JsonSerializer.Serialize(memos, Json);

    /// <summary>The stored memos; none when there are none or they cannot be read (then every planner plans, as it always may).</summary>
    public static IReadOnlyDictionary<string, PlanMemo> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new Dictionary<string, PlanMemo>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, PlanMemo>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, PlanMemo>();
        }
    }
}
