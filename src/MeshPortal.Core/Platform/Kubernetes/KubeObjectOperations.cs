using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// Generic object operations for the reconciler: server-side apply (field manager <c>meshportal</c>, force), read, list
/// by the managed-by label, delete. Core resources go through the typed CoreV1 calls (their URLs are not /apis/...),
/// everything else through the custom-object calls. Objects travel as <see cref="JsonObject"/>.
/// </summary>
internal static class KubeObjectOperations
{
    private static readonly string ManagedSelector = $"{ManagedLabels.ManagedBy}={ManagedLabels.ManagedByValue}";

    public static async Task<JsonObject> ApplyAsync(IKubernetes k, DesiredObject desired, CancellationToken ct)
    {
        var r = desired.Ref;
        // A JSON string (valid YAML) sent as application/apply-patch+yaml; never a YAML string (V1Patch validates JSON).
        var patch = new V1Patch(desired.Body.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        const string manager = ManagedLabels.FieldManager;
        var what = $"Applying {r}";
        object result = (r.Group, r.Plural) switch
        {
            ("", "secrets") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespacedSecretAsync(
                patch, r.Name, Ns(r), fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", "configmaps") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespacedConfigMapAsync(
                patch, r.Name, Ns(r), fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", "namespaces") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespaceAsync(
                patch, r.Name, fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", "services") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespacedServiceAsync(
                patch, r.Name, Ns(r), fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", "pods") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespacedPodAsync(
                patch, r.Name, Ns(r), fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", "serviceaccounts") => await ClusterCallMapper.Run(what, () => k.CoreV1.PatchNamespacedServiceAccountAsync(
                patch, r.Name, Ns(r), fieldManager: manager, force: true, cancellationToken: ct), ct),
            ("", _) => throw Unsupported(r),
            _ when r.Namespace is null => await ClusterCallMapper.Run(what, () => k.CustomObjects.PatchClusterCustomObjectAsync(
                patch, r.Group, r.Version, r.Plural, r.Name, fieldManager: manager, force: true, cancellationToken: ct), ct),
            _ => await ClusterCallMapper.Run(what, () => k.CustomObjects.PatchNamespacedCustomObjectAsync(
                patch, r.Group, r.Version, r.Namespace, r.Plural, r.Name, fieldManager: manager, force: true, cancellationToken: ct), ct),
        };
        return ToJson(result) ?? [];
    }

    public static async Task<JsonObject?> GetAsync(IKubernetes k, ObjectRef r, CancellationToken ct)
    {
        var what = $"Reading {r}";
        try
        {
            object result = (r.Group, r.Plural) switch
            {
                ("", "secrets") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespacedSecretAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "configmaps") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespacedConfigMapAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "namespaces") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespaceAsync(r.Name, cancellationToken: ct), ct),
                ("", "services") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespacedServiceAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "pods") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespacedPodAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "serviceaccounts") => await ClusterCallMapper.Run(what, () => k.CoreV1.ReadNamespacedServiceAccountAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", _) => throw Unsupported(r),
                _ when r.Namespace is null => await ClusterCallMapper.Run(what, () => k.CustomObjects.GetClusterCustomObjectAsync(
                    r.Group, r.Version, r.Plural, r.Name, ct), ct),
                _ => await ClusterCallMapper.Run(what, () => k.CustomObjects.GetNamespacedCustomObjectAsync(
                    r.Group, r.Version, r.Namespace, r.Plural, r.Name, ct), ct),
            };
            return ToJson(result);
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>Objects of one resource in all namespaces carrying the managed-by label; empty when the resource is not served (404).</summary>
    public static async Task<IReadOnlyList<JsonObject>> ListManagedAsync(IKubernetes k, string group, string version, string plural, CancellationToken ct)
    {
        var what = $"Listing managed {(group.Length == 0 ? plural : plural + "." + group)}";
        try
        {
            object list = (group, plural) switch
            {
                ("", "secrets") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", "configmaps") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", "namespaces") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListNamespaceAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", "services") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", "pods") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListPodForAllNamespacesAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", "serviceaccounts") => await ClusterCallMapper.Run(what, () => k.CoreV1.ListServiceAccountForAllNamespacesAsync(labelSelector: ManagedSelector, cancellationToken: ct), ct),
                ("", _) => throw new ClusterCallException(ClusterCallErrorKind.Invalid, $"{what}: core resource '{plural}' is not supported by the reconciler."),
                _ => await ClusterCallMapper.Run(what, () => k.CustomObjects.ListClusterCustomObjectAsync(group, version, plural, labelSelector: ManagedSelector, cancellationToken: ct), ct),
            };
            var items = ToJson(list)?["items"] as JsonArray ?? [];
            var result = items.OfType<JsonObject>().ToList();
            items.Clear(); // detaches the items from the list without copying them
            return [.. result.Where(IsManaged)];
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return [];
        }
    }

    /// <summary>Deletes one object; false when it was already gone.</summary>
    public static async Task<bool> DeleteAsync(IKubernetes k, ObjectRef r, CancellationToken ct)
    {
        var what = $"Deleting {r}";
        try
        {
            _ = (r.Group, r.Plural) switch
            {
                ("", "secrets") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespacedSecretAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "configmaps") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespacedConfigMapAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "services") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespacedServiceAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "pods") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespacedPodAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "serviceaccounts") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespacedServiceAccountAsync(r.Name, Ns(r), cancellationToken: ct), ct),
                ("", "namespaces") => await ClusterCallMapper.Run<object>(what, async () => await k.CoreV1.DeleteNamespaceAsync(r.Name, cancellationToken: ct), ct),
                ("", _) => throw Unsupported(r),
                _ when r.Namespace is null => await ClusterCallMapper.Run(what, () => k.CustomObjects.DeleteClusterCustomObjectAsync(
                    r.Group, r.Version, r.Plural, r.Name, cancellationToken: ct), ct),
                _ => await ClusterCallMapper.Run(what, () => k.CustomObjects.DeleteNamespacedCustomObjectAsync(
                    r.Group, r.Version, r.Namespace, r.Plural, r.Name, cancellationToken: ct), ct),
            };
            return true;
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>Served versions per API group (preferred version first), from GET /apis.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupVersionsAsync(IKubernetes k, CancellationToken ct)
    {
        var groups = await ClusterCallMapper.Run("Reading /apis", () => k.Apis.GetAPIVersionsAsync(ct), ct);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [""] = ["v1"] };
        foreach (var g in groups.Groups ?? [])
        {
            var preferred = g.PreferredVersion?.Version;
            var versions = (g.Versions ?? []).Select(v => v.Version).ToList();
            if (preferred is not null)
            {
                versions.Remove(preferred);
                versions.Insert(0, preferred);
            }

            result[g.Name] = versions;
        }

        return result;
    }

    private static bool IsManaged(JsonObject o) =>
        (string?)o["metadata"]?["labels"]?[ManagedLabels.ManagedBy] == ManagedLabels.ManagedByValue;

    private static string Ns(ObjectRef r) =>
        r.Namespace ?? throw new ClusterCallException(ClusterCallErrorKind.Invalid, $"{r.Kind} {r.Name} needs a namespace.");

    private static ClusterCallException Unsupported(ObjectRef r) =>
        new(ClusterCallErrorKind.Invalid, $"{r}: core resource '{r.Plural}' is not supported by the reconciler.");

    internal static JsonObject? ToJson(object? value) => value switch
    {
        null => null,
        JsonElement { ValueKind: JsonValueKind.Object } e => JsonObject.Create(e),
        JsonElement => null,
        JsonObject o => o,
        _ => JsonNode.Parse(KubernetesJson.Serialize(value)) as JsonObject,
    };
}
