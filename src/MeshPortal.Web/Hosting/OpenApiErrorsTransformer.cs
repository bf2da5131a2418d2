using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// Documents the errors every API operation can answer, as RFC 7807 <c>application/problem+json</c>: 401 and 403 always
/// (the API needs a bearer token or the sign-in cookie), 404 where the route names a resource, 400 and 409 where the
/// operation changes something. Operations that already describe a status keep their own description.
/// </summary>
internal sealed class OpenApiErrorsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var path = "/" + (context.Description.RelativePath ?? "");
        if (!path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var method = context.Description.HttpMethod ?? "GET";
        var changes = method is "POST" or "PUT" or "PATCH" or "DELETE";
        operation.Responses ??= [];
        Add(operation, "401", "Not authenticated: no token or cookie, or the API token is unknown, expired or revoked.");
        Add(operation, "403", "Authenticated but not allowed (for example a read-only token on a change, or a non-admin on an admin action).");
        if (path.Contains('{', StringComparison.Ordinal))
        {
            Add(operation, "404", "No such resource.");
        }

        if (changes && method != "DELETE")
        {
            Add(operation, "400", "The request is invalid; 'errors' (when present) lists the problems per field.");
        }

        if (changes)
        {
            Add(operation, "409", "The change conflicts with the current state (for example a duplicate or an out-of-order step).");
        }

        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = Problem() } },
        };
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Field name → messages (validation errors only)." },
        },
        Examples = [JsonNode.Parse("""{"type":"https://httpstatuses.io/401","title":"Unauthorized","status":401,"detail":"The API token 'ci' was revoked at 2026-11-26 23:00 UTC."}""")!],
    };
}
