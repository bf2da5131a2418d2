using System.Text.Json.Nodes;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// Identifies a Kubernetes object: API group ("" for core), version, plural resource name, kind, namespace (null for
/// cluster-scoped) and name.
/// </summary>
public sealed record ObjectRef(string Group, string Version, string Plural, string Kind, string? Namespace, string Name)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>How the reconciler treats a desired object.</summary>
public enum ApplyMode
{
    /// <summary>
    /// MeshPortal owns the object: it carries <c>app.kubernetes.io/managed-by: meshportal</c>, is server-side applied
    /// (field manager <c>meshportal</c>, force) and is pruned once no planner produces it.
    /// </summary>
    Owned,

    /// <summary>
    /// MeshPortal sets some fields of an object it does not own (e.g. the CoreDNS Corefile): server-side applied with
    /// only those fields, never labelled, never deleted. The planner emits the cleaned-up version itself when its
    /// fields are no longer needed.
    /// </summary>
    Merge,

    /// <summary>Created when missing (e.g. a Namespace), never updated, labelled or deleted.</summary>
    CreateOnly,
}

/// <summary>
/// One object a cluster should contain. <see cref="Body"/> is the manifest to server-side apply (apiVersion, kind,
/// metadata, spec/data; for <see cref="ApplyMode.Owned"/> the planner adds the managed-by label); <see cref="Source"/>
/// says why it exists ("trust", "dns", "passthrough", "export/&lt;id&gt;").
/// </summary>
public sealed record DesiredObject(ObjectRef Ref, JsonObject Body, string Source, ApplyMode Mode = ApplyMode.Owned);

public static class ManagedLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "meshportal";
    public const string FieldManager = "meshportal";

    /// <summary>Annotation holding the hash of the desired object, so an unchanged object costs no write.</summary>
    public const string DesiredHash = "meshportal.io/desired-hash";

    /// <summary>Annotation naming the source that produced the object ("trust", "export/12", ...).</summary>
    public const string Source = "meshportal.io/source";
}
