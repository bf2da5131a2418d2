using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Validation.Admission;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// Options of a write: the field manager, dryRun=All, force (apply) and the fieldValidation parameter (null when absent).
/// <see cref="Warnings"/> collects what the API server sends back in Warning headers.
/// </summary>
internal sealed record WriteOptions(string Manager, bool DryRun = false, bool Force = false, string? FieldValidation = null)
{
    public List<string> Warnings { get; } = [];
}

/// <summary>Options of a list call.</summary>
internal sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null, int Limit = 0, string? Continue = null);

/// <summary>The verbs of one cluster's API over its <see cref="ObjectStore"/>, with real API server semantics.</summary>
internal sealed partial class ResourceOperations(ObjectStore store, ResourceCatalog catalog, ObjectDefaults defaults, TimeProvider time,
    CustomResourceAdmission admission)
{
    public ObjectStore Store => store;

    public ResourceCatalog Catalog => catalog;

    /// <summary>The cluster's admission chain for custom resources (and its Kubernetes/Istio versions).</summary>
    public CustomResourceAdmission Admission => admission;

    public JsonObject Get(ResourceType type, string version, string? ns, string name)
    {
        lock (store.Gate)
        {
            var obj = store.Find(type, ns, name) ?? throw ApiException.NotFound(type, name);
            return Present(type, version, obj);
        }
    }

    public JsonObject List(ResourceType type, string version, string? ns, ListOptions options)
    {
        var selector = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector);
        var items = new JsonArray();
        var meta = new JsonObject();
        lock (store.Gate)
        {
            var after = DecodeContinue(options.Continue);
            string? lastKey = null;
            var remaining = 0;
            foreach (var (key, obj) in store.Scan(type, ns, after))
            {
                if (!selector.Matches(obj) || !fields.Matches(obj))
                {
                    continue;
                }

                if (options.Limit > 0 && items.Count >= options.Limit)
                {
                    remaining++;
                    continue;
                }

                items.Add(Present(type, version, obj));
                lastKey = key;
            }

            meta["resourceVersion"] = store.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            if (remaining > 0)
            {
                meta["continue"] = EncodeContinue(lastKey!, store.ResourceVersion);
                meta["remainingItemCount"] = remaining;
            }
        }

        return new JsonObject
        {
            ["kind"] = type.Kind + "List",
            ["apiVersion"] = type.ApiVersion(version),
            ["metadata"] = meta,
            ["items"] = items,
        };
    }

    /// <summary>A deep copy of a stored object, labelled with the version it was asked for.</summary>
    public static JsonObject Present(ResourceType type, string version, JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        copy["apiVersion"] = type.ApiVersion(version);
        copy["kind"] = type.Kind;
        return copy;
    }

    private static string EncodeContinue(string key, long rv) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key }.ToJsonString()));

    private static string? DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return (string?)json?["start"] ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }

    private string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void RequireNamespace(ResourceType type, string? ns)
    {
        if (type.Namespaced && store.Find(catalog.FindByPlural("", "namespaces")!, null, ns!) is null)
        {
            throw ApiException.NamespaceNotFound(ns!);
        }
    }

    private static bool TracksGeneration(ResourceType type) => type.Group is "apps" || type.IsCustom;
}
