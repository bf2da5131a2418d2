namespace MeshPortal.Core.Reconciliation;

/// <summary>
/// The resource types MeshPortal may own in a cluster: listed with the managed-by label on every push to find objects
/// to prune. Istio types are listed at the version the cluster serves (EnvoyFilter only exists as v1alpha3).
/// </summary>
public static class ManagedTypes
{
    public sealed record ManagedType(string Group, string Plural, string Kind, string? OnlyVersion = null);

    public const string IstioGroup = "networking.istio.io";

    public static readonly IReadOnlyList<ManagedType> All =
    [
        new("", "secrets", "Secret"),
        new("", "configmaps", "ConfigMap"),
        new("", "namespaces", "Namespace"),
        new("", "services", "Service"),
        new("", "pods", "Pod"),
        new(IstioGroup, "serviceentries", "ServiceEntry"),
        new(IstioGroup, "gateways", "Gateway"),
        new(IstioGroup, "envoyfilters", "EnvoyFilter", "v1alpha3"),
        new(IstioGroup, "destinationrules", "DestinationRule"),
        new("multicluster.x-k8s.io", "serviceexports", "ServiceExport"),
    ];

    /// <summary>
    /// (group, version, plural, kind) to list: the fixed types at a served version, plus any other type an Owned desired
    /// object uses (at its own version). Types of a group the cluster does not serve are skipped: nothing can exist there.
    /// </summary>
    public static IReadOnlyList<ObjectRef> ToList(IReadOnlyDictionary<string, IReadOnlyList<string>> served, IEnumerable<DesiredObject> desired)
    {
        var result = new List<ObjectRef>();
        foreach (var t in All)
        {
            if (!served.TryGetValue(t.Group, out var versions) || versions.Count == 0)
            {
                continue;
            }

            var version = t.OnlyVersion is null ? versions[0] : versions.Contains(t.OnlyVersion) ? t.OnlyVersion : null;
            if (version is not null)
            {
                result.Add(new ObjectRef(t.Group, version, t.Plural, t.Kind, null, ""));
            }
        }

        foreach (var d in desired.Where(d => d.Mode == ApplyMode.Owned))
        {
            if (!result.Any(r => r.Group == d.Ref.Group && r.Plural == d.Ref.Plural))
            {
                result.Add(d.Ref with { Namespace = null, Name = "" });
            }
        }

        return result;
    }
}
