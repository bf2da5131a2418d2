using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

/// <summary>Reading request bodies (JSON or YAML) and writing JSON answers.</summary>
internal static class HttpJson
{
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    // Like the API server: quotes are written as \" rather than \u0022.
    private static readonly System.Text.Json.JsonSerializerOptions Output =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Output));
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext ctx, ApiException e) => WriteAsync(ctx, e.Code, e.ToStatus());

    /// <summary>The request body as a JSON object; YAML is accepted when the content type says so (or for apply).</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > MaxBodyBytes)
            {
                throw new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
            }
        }

        var text = Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.BadRequest("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");
        }

        var contentType = ctx.Request.ContentType ?? "";
        if (contentType.Contains("protobuf", StringComparison.OrdinalIgnoreCase) || contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/merge-patch+json, application/strategic-merge-patch+json");
        }

        JsonNode? node;
        if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) && !text.TrimStart().StartsWith('{'))
        {
            node = YamlJson.Parse(text);
        }
        else
        {
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException) when (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
            {
                node = YamlJson.Parse(text);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw ApiException.BadRequest($"couldn't get version/kind; json parse error: {e.Message}");
            }
        }

        return node as JsonObject ?? throw ApiException.BadRequest("the body of the request must be an object");
    }
}
