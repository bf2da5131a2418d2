using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Identity of an object in a cluster regardless of the API version it is read or written with (an Istio object is the
/// same at v1alpha3 and v1beta1): group, kind, namespace, name.
/// </summary>
public readonly record struct ObjectKey(string Group, string Kind, string? Namespace, string Name)
{
    public static ObjectKey Of(ObjectRef r) => new(r.Group, r.Kind, r.Namespace, r.Name);

    public static ObjectKey Of(string apiVersion, string kind, string? @namespace, string name) =>
        new(GroupOf(apiVersion), kind, string.IsNullOrEmpty(@namespace) ? null : @namespace, name);

    public static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }

    public static string VersionOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
    }

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>A live object found by listing one resource type with the managed-by label.</summary>
public sealed record LiveManagedObject(ObjectRef Ref, JsonObject Body)
{
    public ObjectKey Key => ObjectKey.Of(Ref);

    public string? DesiredHash => (string?)Body["metadata"]?["annotations"]?[ManagedLabels.DesiredHash];

    public string? Source => (string?)Body["metadata"]?["annotations"]?[ManagedLabels.Source];

    public string? ResourceVersion => (string?)Body["metadata"]?["resourceVersion"];

    /// <summary>Builds the reference from a listed item and the resource it was listed as.</summary>
    public static LiveManagedObject From(string group, string version, string plural, string kind, JsonObject body)
    {
        var meta = body["metadata"];
        return new LiveManagedObject(new ObjectRef(group, version, plural, kind, (string?)meta?["namespace"], (string?)meta?["name"] ?? ""), body);
    }
}
