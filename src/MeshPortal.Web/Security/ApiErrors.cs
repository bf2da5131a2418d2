using System.Text.Json;
using MeshPortal.Web.Auth;

namespace MeshPortal.Web.Security;

/// <summary>
/// Every error on /api is RFC 7807 problem+json with a specific message, in every environment: a request the endpoint
/// cannot bind (malformed JSON, a wrong type at a JSON path, wrong content type, too large) says what and where, and an
/// unhandled exception is a 500 with the trace id only (never the stack trace or exception text, also not in Development).
/// Pages keep the error page (Production) or the developer page (Development).
/// </summary>
public static class ApiErrors
{
    /// <summary>The client-facing explanation of a request the API could not read (pure, for tests).</summary>
    public static string Describe(BadHttpRequestException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var json = FindJsonException(ex);
        return ex.StatusCode switch
        {
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON with 'Content-Type: application/json'.",
            StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
            _ when json is not null => json.Path is { Length: > 0 } path && path != "$"
                ? $"The request body is not valid at JSON path {path}: {FirstSentence(json.Message)}"
                : $"The request body is not valid JSON: {FirstSentence(json.Message)}",
            _ => ex.Message,
        };
    }

    /// <summary>The JSON path of a binding error, if any (also returned as the problem's <c>errors</c> key).</summary>
    public static string? JsonPath(BadHttpRequestException ex) => FindJsonException(ex)?.Path;

    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!CookieSetup.IsApiRequest(context.Request))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var detail = Describe(ex);
            var path = JsonPath(ex);
            var problem = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(
                path is null ? new Dictionary<string, string[]>() : new Dictionary<string, string[]> { [path] = [detail] })
            {
                Status = ex.StatusCode,
                Title = ex.StatusCode == 400 ? "Bad request" : ReasonPhrase(ex.StatusCode),
                Detail = detail,
                Type = $"https://httpstatuses.io/{ex.StatusCode}",
            };
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(problem, options: (JsonSerializerOptions?)null, contentType: "application/problem+json");
        }
        catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiErrors).FullName!)
                .LogError(ex, "Unhandled error on {Method} {Path} (trace {TraceId})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"An unexpected error occurred; nothing more is shown to callers. Trace id {context.TraceIdentifier} is in the portal's log.");
        }
    });

    /// <summary>A body for API status codes that have none (404 route, 405 method, ...): never the HTML error page.</summary>
    public static string StatusText(int status) => status switch
    {
        404 => "No such resource or route.",
        405 => "This route does not accept that HTTP method.",
        413 => "The request body is too large.",
        415 => "Send the request body as JSON with 'Content-Type: application/json'.",
        429 => "Too many requests; slow down and retry after the time in Retry-After.",
        _ => ReasonPhrase(status) + ".",
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : "Error";

    private static JsonException? FindJsonException(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is JsonException json)
                return json;
        }

        return null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
