using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Store;

internal sealed partial class ResourceOperations
{
    /// <summary>
    /// Direct write for seeding and tests: creates or replaces the object named by its apiVersion/kind/metadata,
    /// keeping the <c>status</c> it carries. Still validated, versioned and given managed fields.
    /// </summary>
    public JsonObject Put(JsonObject obj, string manager)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? throw ApiException.BadRequest("apiVersion is required");
        var kind = (string?)obj["kind"] ?? throw ApiException.BadRequest("kind is required");
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var type = catalog.FindByKind(group, kind) ?? throw ApiException.BadRequest($"no kind \"{kind}\" is registered for version \"{apiVersion}\"");
        var meta = obj["metadata"] as JsonObject ?? throw ApiException.BadRequest("metadata is required");
        var name = (string?)meta["name"] ?? throw ApiException.BadRequest("metadata.name is required");
        var ns = type.Namespaced ? (string?)meta["namespace"] ?? "default" : null;
        var next = Skeleton(type, version, ns, name, meta);
        foreach (var (key, value) in obj.Where(p => p.Key is not ("apiVersion" or "kind" or "metadata")).ToList())
        {
            next[key] = value?.DeepClone();
        }

        lock (store.Gate)
        {
            RequireNamespace(type, ns);
            var old = store.Find(type, ns, name);
            return Commit(type, version, ns, name, old, next, new WriteOptions(manager), entries: null,
                old is null ? Validation.Admission.WriteVerb.Create : Validation.Admission.WriteVerb.Update);
        }
    }

    /// <summary>Deletes without preconditions; false when the object did not exist.</summary>
    public bool Remove(ResourceType type, string? ns, string name)
    {
        try
        {
            Delete(type, type.Versions[^1], ns, name, null, dryRun: false);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }
}
