using Microsoft.AspNetCore.Mvc;

namespace MeshPortal.Web.Auth;

internal static class ProblemWriter
{
    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status switch { 401 => "Unauthorized", 403 => "Forbidden", _ => "Error" },
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
    }
}
