using System.Globalization;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Validation;
using MeshPortal.Simulator.Validation.Admission;

namespace MeshPortal.Simulator.Store;

internal sealed partial class ResourceOperations
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public JsonObject Create(ResourceType type, string version, string? ns, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body);
        var meta = body["metadata"] as JsonObject ?? new JsonObject();
        CheckNamespace(type, ns, meta);
        var name = (string?)meta["name"];
        if (string.IsNullOrEmpty(name) && meta["generateName"] is JsonValue g)
        {
            name = (string)g! + string.Concat(Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)]));
        }

        name ??= "";
        var next = Skeleton(type, version, ns, name, meta);
        foreach (var (key, value) in body.Where(p => p.Key is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
        {
            next[key] = value?.DeepClone();
        }

        lock (store.Gate)
        {
            RequireNamespace(type, ns);
            if (name.Length > 0 && store.Find(type, ns, name) is not null)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            return Commit(type, version, ns, name, null, next, options, entries: null, WriteVerb.Create);
        }
    }

    public JsonObject Update(ResourceType type, string version, string? ns, string name, JsonObject body, WriteOptions options)
    {
        CheckKind(type, body);
        var meta = body["metadata"] as JsonObject ?? new JsonObject();
        CheckNamespace(type, ns, meta);
        if ((string?)meta["name"] is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        lock (store.Gate)
        {
            var old = store.Find(type, ns, name) ?? throw ApiException.NotFound(type, name);
            CheckResourceVersion(type, name, old, (string?)meta["resourceVersion"]);
            var next = Skeleton(type, version, ns, name, meta);
            foreach (var (key, value) in body.Where(p => p.Key is not ("apiVersion" or "kind" or "metadata" or "status")).ToList())
            {
                next[key] = value?.DeepClone();
            }

            if (old["status"] is { } status)
            {
                next["status"] = status.DeepClone();
            }

            return Commit(type, version, ns, name, old, next, options, entries: null, WriteVerb.Update);
        }
    }

    /// <summary>JSON merge patch (strategic merge patch is treated the same way).</summary>
    public JsonObject MergePatch(ResourceType type, string version, string? ns, string name, JsonObject patch, WriteOptions options)
    {
        lock (store.Gate)
        {
            var old = store.Find(type, ns, name) ?? throw ApiException.NotFound(type, name);
            CheckResourceVersion(type, name, old, (string?)patch["metadata"]?["resourceVersion"]);
            var next = old.DeepClone().AsObject();
            var body = patch.DeepClone().AsObject();
            body.Remove("status");
            body.Remove("apiVersion");
            body.Remove("kind");
            if (body["metadata"] is JsonObject m)
            {
                foreach (var key in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
                {
                    m.Remove(key);
                }
            }

            JsonMergePatch.Apply(next, body);
            return Commit(type, version, ns, name, old, next, options, entries: null, WriteVerb.MergePatch);
        }
    }

    public JsonObject Delete(ResourceType type, string version, string? ns, string name, JsonObject? deleteOptions, bool dryRun)
    {
        if (type.Kind == "Namespace" && name is "default" or "kube-system" or "kube-public")
        {
            throw new ApiException(403, "Forbidden", $"namespaces \"{name}\" is forbidden: this namespace may not be deleted",
                KubeStatus.Details(name, "", "namespaces"));
        }

        lock (store.Gate)
        {
            var old = store.Find(type, ns, name) ?? throw ApiException.NotFound(type, name);
            if ((string?)deleteOptions?["preconditions"]?["resourceVersion"] is { } rv && rv != (string?)old["metadata"]?["resourceVersion"])
            {
                throw ApiException.Conflict(type, name,
                    $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({old["metadata"]?["resourceVersion"]}). The object might have been modified");
            }

            if ((string?)deleteOptions?["preconditions"]?["uid"] is { } uid && uid != (string?)old["metadata"]?["uid"])
            {
                throw ApiException.Conflict(type, name,
                    $"the UID in the precondition ({uid}) does not match the UID in record ({old["metadata"]?["uid"]}). The object might have been deleted and then recreated");
            }

            if (!dryRun)
            {
                store.Remove(type, ns, name);
                store.NextResourceVersion();
                if (type.Kind == "Namespace")
                {
                    store.RemoveNamespaceContents(name);
                }
            }

            return Present(type, version, old);
        }
    }

    /// <summary>
    /// Fills system metadata and defaults, runs admission (decoding, schema/CEL validation, Istio's webhook), bumps
    /// generation/resourceVersion and stores. Caller holds the gate.
    /// </summary>
    private JsonObject Commit(ResourceType type, string version, string? ns, string name, JsonObject? old, JsonObject next,
        WriteOptions options, List<ManagedFieldsEntry>? entries, WriteVerb verb)
    {
        var meta = next["metadata"]!.AsObject();
        meta["name"] = name;
        meta.Remove("generateName");
        if (ns is not null)
        {
            meta["namespace"] = ns;
        }

        var now = Now();
        meta["uid"] = (string?)old?["metadata"]?["uid"] ?? Guid.NewGuid().ToString();
        meta["creationTimestamp"] = (string?)old?["metadata"]?["creationTimestamp"] ?? now;
        if (type.Kind == "Pod")
        {
            SidecarInjector.Apply(next, old, ns is null ? null : store.Find(catalog.FindByPlural("", "namespaces")!, null, ns), catalog.IstioVersion);
        }

        defaults.Apply(type, next, old);
        List<string> preserved = [];
        if (type.IsCustom)
        {
            options.Warnings.AddRange(admission.Decode(type, version, next, verb, admission.Directive(options.FieldValidation), out preserved));
        }

        var errors = ObjectValidator.Validate(type, next);
        if (type.IsCustom)
        {
            errors.AddRange(admission.Validate(type, version, next));
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }

        if (type.IsCustom)
        {
            options.Warnings.AddRange(admission.Webhook(type, next, preserved));
        }

        if (entries is null)
        {
            entries = old is null ? [] : ManagedFields.Read(old);
            ManagedFields.RecordUpdate(entries, options.Manager, type.ApiVersion(version), now, old, next);
        }

        ManagedFields.Write(next, entries);
        if (old is not null && JsonNode.DeepEquals(Comparable(old), Comparable(next)))
        {
            return Present(type, version, old);
        }

        if (TracksGeneration(type))
        {
            var generation = JsonNumbers.Int64(old?["metadata"]?["generation"]) ?? 0;
            var specChanged = old is null || !JsonNode.DeepEquals(old["spec"], next["spec"]);
            meta["generation"] = specChanged ? generation + 1 : generation;
        }

        var rv = options.DryRun ? store.ResourceVersion + 1 : store.NextResourceVersion();
        meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);

        // Stored as parsed JSON whatever built it (YAML, CLR values), so every number reads as int, long or double.
        var stored = JsonNode.Parse(next.ToJsonString())!.AsObject();
        if (!options.DryRun)
        {
            store.Put(type, ns, name, stored);
        }

        return Present(type, version, stored);
    }

    /// <summary>The object without the fields a no-op write would still change (timestamps in managed fields, version).</summary>
    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("apiVersion");
        if (copy["metadata"] is JsonObject meta)
        {
            meta.Remove("resourceVersion");
            meta.Remove("generation");
            if (meta["managedFields"] is JsonArray fields)
            {
                foreach (var f in fields.OfType<JsonObject>())
                {
                    f.Remove("time");
                    f.Remove("apiVersion");
                }
            }
        }

        return copy;
    }

    private static JsonObject Skeleton(ResourceType type, string version, string? ns, string name, JsonObject bodyMeta)
    {
        var meta = bodyMeta.DeepClone().AsObject();
        foreach (var key in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp" })
        {
            meta.Remove(key);
        }

        meta["name"] = name;
        return new JsonObject { ["apiVersion"] = type.ApiVersion(version), ["kind"] = type.Kind, ["metadata"] = meta };
    }

    private static void CheckKind(ResourceType type, JsonObject body)
    {
        if ((string?)body["kind"] is { Length: > 0 } kind && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the API version in the data ({body["apiVersion"]}) does not match the expected API version ({type.ApiVersion(type.Versions[^1])}) or kind {kind} is not {type.Kind}");
        }
    }

    private static void CheckNamespace(ResourceType type, string? ns, JsonObject meta)
    {
        if (type.Namespaced && (string?)meta["namespace"] is { Length: > 0 } bodyNs && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private static void CheckResourceVersion(ResourceType type, string name, JsonObject old, string? wanted)
    {
        if (!string.IsNullOrEmpty(wanted) && wanted != (string?)old["metadata"]?["resourceVersion"])
        {
            throw ApiException.Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
        }
    }
}
