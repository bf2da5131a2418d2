using System.Security.Cryptography;
using System.Text;
using MeshPortal.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

/// <summary>Answers one HTTP request for one simulated cluster: faults, bearer-token auth, discovery, OpenAPI, resources.</summary>
internal sealed partial class ClusterApiHandler(SimulatedCluster cluster, ExecHandler? exec)
{
    private readonly byte[] _expectedAuth = Encoding.UTF8.GetBytes("Bearer " + cluster.Token);

    public async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            if (await FaultGate.ApplyAsync(ctx, cluster.Faults))
            {
                return;
            }

            var segments = (ctx.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
            var isPublic = segments is ["version"] or ["healthz"] or ["livez"] or ["readyz"];
            var caller = Authenticate(ctx);
            if (!isPublic && caller is null)
            {
                await HttpJson.WriteAsync(ctx, 401, KubeStatus.Failure(401, "Unauthorized", "Unauthorized"));
                return;
            }

            if (!await ServiceProxy.TryHandleAsync(ctx, cluster, segments, caller ?? ApiCaller.Admin))
            {
                await RouteAsync(ctx, segments, caller ?? ApiCaller.Admin);
            }
        }
        catch (ApiException e)
        {
            if (!ctx.Response.HasStarted)
            {
                await HttpJson.WriteStatusAsync(ctx, e);
            }
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            await HttpJson.WriteAsync(ctx, 500, KubeStatus.Failure(500, "InternalError", $"Internal error occurred: {e.Message}"));
        }
    }

    /// <summary>The admin token, or a valid service account token (revoked ones, and the reader's under its fault, are not).</summary>
    private ApiCaller? Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expectedAuth))
        {
            return ApiCaller.Admin;
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)
            || cluster.Runtime.Tokens.Validate(header["Bearer ".Length..].Trim(), cluster.Time.GetUtcNow()) is not { } sa)
        {
            return null;
        }

        return sa.ServiceAccount == "istio-reader-service-account" && cluster.Faults.ReaderTokensRevoked ? null : new ApiCaller(sa);
    }

    private Task RouteAsync(HttpContext ctx, string[] s, ApiCaller caller)
    {
        var catalog = cluster.Catalog;
        var method = ctx.Request.Method;
        if (method == "GET")
        {
            switch (s)
            {
                case ["version"]:
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.Version(cluster.KubernetesVersion));
                case ["healthz"] or ["livez"] or ["readyz"]:
                    ctx.Response.ContentType = "text/plain";
                    return ctx.Response.WriteAsync("ok");
                case ["api"]:
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.CoreVersions($"127.0.0.1:{ctx.Connection.LocalPort}"));
                case ["apis"]:
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.GroupList(catalog));
                case ["api", "v1"]:
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.ResourceList(catalog, "", "v1"));
                case ["apis", CrdDocuments.Group]:
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.Group(CrdDocuments.Group, ["v1"]));
                case ["apis", CrdDocuments.Group, "v1"]:
                    return HttpJson.WriteAsync(ctx, 200, CrdDocuments.Resources());
                case ["apis", CrdDocuments.Group, "v1", "customresourcedefinitions"]:
                    return HttpJson.WriteAsync(ctx, 200, CrdDocuments.List(catalog, cluster.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                case ["apis", CrdDocuments.Group, "v1", "customresourcedefinitions", var crd]:
                    return HttpJson.WriteAsync(ctx, 200, CrdDocuments.Get(catalog, crd) ?? throw new ApiException(404, "NotFound",
                        $"customresourcedefinitions.apiextensions.k8s.io \"{crd}\" not found", KubeStatus.Details(crd, CrdDocuments.Group, "customresourcedefinitions")));
                case ["apis", var g] when catalog.Groups().Any(x => x.Group == g):
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.Group(g, catalog.Groups().First(x => x.Group == g).Versions));
                case ["apis", var g, var v] when catalog.In(g, v).Any():
                    return HttpJson.WriteAsync(ctx, 200, DiscoveryDocuments.ResourceList(catalog, g, v));
                case ["openapi", "v2"]:
                    // kubectl reads v2 only as protobuf (gnostic OpenAPIv2 Document), and only for kinds that are neither in
                    // /openapi/v3 nor CRDs; an empty document (zero bytes) has no definitions, so it leaves validation to the server.
                    ctx.Response.ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
                    return Task.CompletedTask;
                case ["openapi", "v3"]:
                    return HttpJson.WriteAsync(ctx, 200, OpenApiDocuments.Index(catalog));
                case ["openapi", "v3", .. var rest] when OpenApiDocuments.Document(catalog, string.Join('/', rest), cluster.Operations.Admission.Schemas) is { } doc:
                    return HttpJson.WriteAsync(ctx, 200, doc);
            }
        }

        var path = s switch
        {
            ["api", "v1", .. var rest] => ApiPath.Parse(catalog, "", "v1", rest),
            ["apis", var g, var v, .. var rest] => ApiPath.Parse(catalog, g, v, rest),
            _ => null,
        };
        if (path is null && s is ["apis", CrdDocuments.Group, ..])
        {
            throw ApiException.MethodNotAllowed("the MeshPortal simulator serves CustomResourceDefinitions read-only");
        }

        if (path is null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        return ResourceAsync(ctx, path, caller);
    }
}

/// <summary>Serves <c>pods/{name}/exec</c> for one cluster (wired to the exec helper's endpoint).</summary>
internal delegate Task ExecHandler(HttpContext context, string @namespace, string podName);
