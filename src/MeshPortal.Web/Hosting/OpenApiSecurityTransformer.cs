using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MeshPortal.Web.Hosting;

/// <summary>Describes the bearer-token authentication in the OpenAPI document.</summary>
internal sealed class OpenApiSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "MeshPortal API",
            Version = "v1",
            Description = "Register clusters, export services and read mesh status. Authenticate with 'Authorization: Bearer <API token>' "
                + "(create one on the API tokens page or with POST /api/v1/tokens), or with the portal's sign-in cookie from the browser. "
                + "Errors are RFC 7807 problem details (application/problem+json).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A MeshPortal API token (mp_...).",
        };
        document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "meshportal.auth",
            Description = "The sign-in cookie of the portal (browsers, the interactive API page).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("cookie", document)] = [] });
        return Task.CompletedTask;
    }
}
