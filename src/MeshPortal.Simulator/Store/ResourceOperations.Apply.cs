using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

internal sealed partial class ResourceOperations
{
    /// <summary>Server-side apply (PATCH with application/apply-patch+yaml). Returns the object and whether it was created.</summary>
    public (JsonObject Result, bool Created) Apply(ResourceType type, string version, string? ns, string name, JsonObject applied,
        WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.Manager))
        {
            throw new ApiException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                new JsonObject
                {
                    ["group"] = "meta.k8s.io", ["kind"] = "PatchOptions",
                    ["causes"] = new JsonArray(new JsonObject
                    {
                        ["reason"] = "FieldValueRequired", ["message"] = "Required value: is required for apply patch", ["field"] = "fieldManager",
                    }),
                });
        }

        if ((string?)applied["kind"] is not { Length: > 0 } kind || (string?)applied["apiVersion"] is not { Length: > 0 })
        {
            throw ApiException.BadRequest($"Object 'Kind' is missing in '{applied.ToJsonString()}'");
        }

        CheckKind(type, applied);
        admission.CheckAppliedConfiguration(type, version, ns, name, applied);
        var meta = applied["metadata"] as JsonObject ?? new JsonObject();
        CheckNamespace(type, ns, meta);
        if ((string?)meta["name"] is { } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var config = applied.DeepClone().AsObject();
        config.Remove("status");
        var configMeta = config["metadata"] as JsonObject ?? new JsonObject();
        config["metadata"] = configMeta;
        var wantedVersion = (string?)configMeta["resourceVersion"];
        foreach (var key in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            configMeta.Remove(key);
        }

        lock (store.Gate)
        {
            var old = store.Find(type, ns, name);
            if (old is null)
            {
                RequireNamespace(type, ns);
            }
            else
            {
                CheckResourceVersion(type, name, old, wantedVersion);
            }

            var current = old?.DeepClone().AsObject() ?? Skeleton(type, version, ns, name, new JsonObject());
            var entries = old is null ? [] : ManagedFields.Read(old);
            var conflicts = ServerSideApply.Run(current, config, entries, options.Manager, type.ApiVersion(version), Now(), options.Force);
            if (conflicts.Count > 0)
            {
                throw ConflictError(type, name, conflicts);
            }

            current["apiVersion"] = type.ApiVersion(version);
            current["kind"] = type.Kind;
            return (Commit(type, version, ns, name, old, current, options, entries, Validation.Admission.WriteVerb.Apply), old is null);
        }
    }

    private static ApiException ConflictError(ResourceType type, string name, List<ApplyConflict> conflicts)
    {
        var causes = new JsonArray();
        foreach (var c in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{c.Manager}\" using {c.ApiVersion}",
                ["field"] = FieldPaths.Display(c.Path),
            });
        }

        var lines = conflicts.Select(c => $"- conflict with \"{c.Manager}\" using {c.ApiVersion}: {FieldPaths.Display(c.Path)}");
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\" using {conflicts[0].ApiVersion}: {FieldPaths.Display(conflicts[0].Path)}"
            : $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        var details = KubeStatus.Details(name, type.Group, type.Plural);
        details["causes"] = causes;
        return new ApiException(409, "Conflict", message, details);
    }
}
