using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

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
    /// Types MeshPortal writes only on request (the east-west gateway MeshPortal deploys): listed only while desired or while
    /// the cluster's recorded objects still hold one (so withdrawing the request prunes them), which keeps the no-op push of
    /// every other cluster at the same number of list calls.
    /// </summary>
    public static readonly IReadOnlyList<ObjectRef> OnDemand =
    [
        new("", "v1", "serviceaccounts", "ServiceAccount", null, ""),
        new("apps", "v1", "deployments", "Deployment", null, ""),
        new("rbac.authorization.k8s.io", "v1", "roles", "Role", null, ""),
        new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", null, ""),
    ];

    /// <summary>
    /// (group, version, plural, kind) to list: the fixed types at a served version, plus any other type an Owned desired
    /// object uses (at its own version), plus the <see cref="OnDemand"/> types of objects recorded earlier (<paramref name="recorded"/>:
    /// apiVersion and kind of the cluster's managed-object rows). Types of a group the cluster does not serve are skipped.
    /// </summary>
    public static IReadOnlyList<ObjectRef> ToList(IReadOnlyDictionary<string, IReadOnlyList<string>> served, IEnumerable<DesiredObject> desired,
        IEnumerable<(string ApiVersion, string Kind)>? recorded = null) =>
        ForOwned(served, desired.Where(d => d.Mode == ApplyMode.Owned).Select(d => d.Ref), recorded);

    /// <summary>The same, from the references (or types) of the Owned desired objects.</summary>
    public static IReadOnlyList<ObjectRef> ForOwned(IReadOnlyDictionary<string, IReadOnlyList<string>> served, IEnumerable<ObjectRef> owned,
        IEnumerable<(string ApiVersion, string Kind)>? recorded = null)
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

        foreach (var o in owned)
        {
            if (!result.Any(r => r.Group == o.Group && r.Plural == o.Plural))
            {
                result.Add(o with { Namespace = null, Name = "" });
            }
        }

        foreach (var (apiVersion, kind) in (recorded ?? []).Distinct())
        {
            var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
            if (OnDemand.FirstOrDefault(t => t.Group == group && t.Kind == kind) is { } type && !result.Any(r => r.Group == type.Group && r.Plural == type.Plural)
                && served.ContainsKey(group))
            {
                result.Add(type);
            }
        }

        return result;
    }
}
