using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

internal sealed partial class ClusterApiHandler
{
    private async Task ResourceAsync(HttpContext ctx, ApiPath p, ApiCaller caller)
    {
        var ops = cluster.Operations;
        var q = ctx.Request.Query;
        var method = ctx.Request.Method;
        caller.Authorize(Verb(method, p, IsTrue(q["watch"])), p.Type.Group,
            p.Subresource is null ? p.Type.Plural : $"{p.Type.Plural}/{p.Subresource}", p.Namespace);
        if (p.Subresource is not null)
        {
            await SubresourceAsync(ctx, p);
            return;
        }

        if (p.Name is null)
        {
            switch (method)
            {
                case "GET" when IsTrue(q["watch"]):
                    throw ApiException.MethodNotAllowed("watch is not supported by the MeshPortal simulator; poll with list instead");
                case "GET":
                    var limit = int.TryParse(q["limit"], out var l) && l > 0 ? l : 0;
                    await HttpJson.WriteAsync(ctx, 200, ops.List(p.Type, p.Version, p.Namespace,
                        new ListOptions(q["labelSelector"], q["fieldSelector"], limit, q["continue"])));
                    return;
                case "POST" when p.Type.Namespaced && p.Namespace is null:
                    throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource");
                case "POST":
                    var createOptions = Write(ctx);
                    var created = ops.Create(p.Type, p.Version, p.Namespace, await HttpJson.ReadObjectAsync(ctx), createOptions);
                    await WriteResultAsync(ctx, 201, created, createOptions);
                    return;
                case "DELETE":
                    await HttpJson.WriteAsync(ctx, 200, DeleteCollection(ctx, p));
                    return;
            }
        }
        else
        {
            switch (method)
            {
                case "GET":
                    await HttpJson.WriteAsync(ctx, 200, ops.Get(p.Type, p.Version, p.Namespace, p.Name));
                    return;
                case "PUT":
                    var updateOptions = Write(ctx);
                    var updated = ops.Update(p.Type, p.Version, p.Namespace, p.Name, await HttpJson.ReadObjectAsync(ctx), updateOptions);
                    await WriteResultAsync(ctx, 200, updated, updateOptions);
                    return;
                case "PATCH":
                    await PatchAsync(ctx, p);
                    return;
                case "DELETE":
                    var options = ctx.Request.ContentLength > 0 ? await HttpJson.ReadObjectAsync(ctx) : null;
                    await HttpJson.WriteAsync(ctx, 200, ops.Delete(p.Type, p.Version, p.Namespace, p.Name, options, IsDryRun(ctx)));
                    return;
            }
        }

        throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
    }

    private async Task PatchAsync(HttpContext ctx, ApiPath p)
    {
        var contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var accepted = PatchTypes(p.Type);
        if (!accepted.Contains(contentType) || contentType == "application/json-patch+json")
        {
            // JSON patch is accepted by real API servers but not implemented here: refused the same way, listing what a real server lists.
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");
        }

        var body = await HttpJson.ReadObjectAsync(ctx);
        if (contentType == "application/apply-patch+yaml")
        {
            var applyOptions = Write(ctx, applyPatch: true);
            var (result, created) = cluster.Operations.Apply(p.Type, p.Version, p.Namespace, p.Name!, body, applyOptions);
            await WriteResultAsync(ctx, created ? 201 : 200, result, applyOptions);
            return;
        }

        var patchOptions = Write(ctx);
        await WriteResultAsync(ctx, 200, cluster.Operations.MergePatch(p.Type, p.Version, p.Namespace, p.Name!, body, patchOptions), patchOptions);
    }

    /// <summary>
    /// The patch types a real API server accepts for the resource: custom resources never take strategic merge patch
    /// (apiextensions-apiserver customresource_handler.go); server-side apply only from Kubernetes 1.16, where the
    /// ServerSideApply feature gate became beta and on by default (1.15 lists it only with the alpha gate enabled).
    /// </summary>
    private string[] PatchTypes(ResourceType type)
    {
        var types = new List<string> { "application/json-patch+json", "application/merge-patch+json" };
        if (!type.IsCustom)
        {
            types.Add("application/strategic-merge-patch+json");
        }

        if (cluster.Operations.Admission.Kubernetes >= new SimVersion(1, 16))
        {
            types.Add("application/apply-patch+yaml");
        }

        return [.. types];
    }

    /// <summary>Writes the object, preceded by the admission warnings as <c>Warning: 299 - "text"</c> headers (Kubernetes 1.19+).</summary>
    private static Task WriteResultAsync(HttpContext ctx, int code, System.Text.Json.Nodes.JsonObject body, WriteOptions options)
    {
        foreach (var warning in options.Warnings.Distinct(StringComparer.Ordinal))
        {
            ctx.Response.Headers.Append("Warning", WarningHeader.Format(warning));
        }

        return HttpJson.WriteAsync(ctx, code, body);
    }

    private async Task SubresourceAsync(HttpContext ctx, ApiPath p)
    {
        if (p.Subresource == "exec" && p.Type.Kind == "Pod" && ctx.Request.Method is "GET" or "POST")
        {
            if (exec is null)
            {
                throw new ApiException(404, "NotFound", "pods/exec is not available in this build of the simulator");
            }

            cluster.Operations.Get(p.Type, p.Version, p.Namespace, p.Name!);
            await exec(ctx, p.Namespace!, p.Name!);
            return;
        }

        if (p.Subresource == "token" && p.Type.Kind == "ServiceAccount" && ctx.Request.Method == "POST")
        {
            await HttpJson.WriteAsync(ctx, 201, TokenRequest(p, await HttpJson.ReadObjectAsync(ctx)));
            return;
        }

        if (p.Subresource == "status" && ctx.Request.Method == "GET")
        {
            await HttpJson.WriteAsync(ctx, 200, cluster.Operations.Get(p.Type, p.Version, p.Namespace, p.Name!));
            return;
        }

        throw new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    /// <summary>The RBAC verb of a request (<c>k8s.io/apiserver/pkg/endpoints/request</c>): get/list/watch/create/update/patch/delete/deletecollection.</summary>
    private static string Verb(string method, ApiPath p, bool watch) => (method, p.Name is null) switch
    {
        _ when p.Subresource is "exec" or "token" => "create",
        ("GET", true) => watch ? "watch" : "list",
        ("GET", false) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "deletecollection",
        ("DELETE", false) => "delete",
        _ => method.ToLowerInvariant(),
    };

    /// <summary>
    /// <c>POST serviceaccounts/{name}/token</c> (TokenRequest, what <c>kubectl create token</c> calls): a bound token for the account,
    /// valid <c>spec.expirationSeconds</c> (default 3600, at least 600) for <c>spec.audiences</c> (default the API server).
    /// </summary>
    private JsonObject TokenRequest(ApiPath p, JsonObject body)
    {
        var sa = cluster.Operations.Get(p.Type, p.Version, p.Namespace, p.Name!);
        var seconds = JsonNumbers.Int64(body["spec"]?["expirationSeconds"]) ?? 3600;
        if (seconds < 600)
        {
            throw new ApiException(422, "Invalid", $"TokenRequest.authentication.k8s.io \"{p.Name}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: may not specify a duration less than 10 minutes",
                KubeStatus.Details(p.Name!, "authentication.k8s.io", "TokenRequest"));
        }

        var audiences = (body["spec"]?["audiences"] as JsonArray)?.Select(a => a?.ToString() ?? "").Where(a => a.Length > 0).ToList() is { Count: > 0 } given
            ? given
            : ["https://kubernetes.default.svc.cluster.local"];
        var now = cluster.Time.GetUtcNow();
        var expires = now.AddSeconds(seconds);
        var token = cluster.Runtime.Tokens.MintBound(p.Namespace!, p.Name!, (string?)sa["metadata"]?["uid"] ?? "", now, expires, audiences);
        return new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = p.Name, ["namespace"] = p.Namespace, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
                ["expirationSeconds"] = seconds,
                ["boundObjectRef"] = null,
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    private JsonObject DeleteCollection(HttpContext ctx, ApiPath p)
    {
        var q = ctx.Request.Query;
        var list = cluster.Operations.List(p.Type, p.Version, p.Namespace, new ListOptions(q["labelSelector"], q["fieldSelector"]));
        var deleted = new JsonArray();
        foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
        {
            var meta = item["metadata"]!;
            try
            {
                deleted.Add(cluster.Operations.Delete(p.Type, p.Version, (string?)meta["namespace"], (string)meta["name"]!, null, IsDryRun(ctx)));
            }
            catch (ApiException e) when (e.Code is 404 or 403)
            {
                // Gone meanwhile, or protected (like the default namespace).
            }
        }

        list["items"] = deleted;
        return list;
    }

    private static WriteOptions Write(HttpContext ctx, bool applyPatch = false)
    {
        var q = ctx.Request.Query;
        string manager = q["fieldManager"].ToString();
        if (manager.Length == 0 && !applyPatch)
        {
            var agent = ctx.Request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }

        if (manager.Length > 128)
        {
            throw ApiException.BadRequest("fieldManager: Too long: may not be longer than 128");
        }

        var fieldValidation = q["fieldValidation"].ToString();
        return new WriteOptions(manager, IsDryRun(ctx), IsTrue(q["force"]), fieldValidation.Length == 0 ? null : fieldValidation);
    }

    private static bool IsDryRun(HttpContext ctx) => ctx.Request.Query["dryRun"].Any(v => v == "All");

    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count > 0 && (value[0] is "true" or "1" or "True");
}
