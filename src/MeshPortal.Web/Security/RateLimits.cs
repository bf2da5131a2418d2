using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Threading.RateLimiting;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace MeshPortal.Web.Security;

/// <summary>The <c>MeshPortal:RateLimits</c> section: requests per minute; 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "MeshPortal:RateLimits";

    /// <summary>Sign-in form posts per client address.</summary>
    [Range(0, 1_000_000)]
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>API token creations (<c>POST /api/v1/tokens</c>) per user.</summary>
    [Range(0, 1_000_000)]
    public int TokenCreationPerMinute { get; set; } = 10;

    /// <summary>Other /api requests per user (or per client address when anonymous).</summary>
    [Range(0, 1_000_000)]
    public int ApiPerMinute { get; set; } = 600;
}

/// <summary>ASP.NET Core rate limiting (fixed one-minute windows) on sign-in, token creation and the API; 429 with Retry-After.</summary>
public static class RateLimits
{
    /// <summary>Which limit a request counts against and under which key; null when none applies (pure, for tests).</summary>
    public static (string Limit, string Key)? Partition(string method, PathString path, ClaimsPrincipal user, string? clientIp)
    {
        var client = "ip:" + (clientIp ?? "unknown");
        var who = user.Identity?.IsAuthenticated == true ? "user:" + (user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name) : client;
        if (HttpMethods.IsPost(method) && path.Equals(PortalUrls.LoginPath, StringComparison.OrdinalIgnoreCase))
            return ("sign-in", client);
        if (HttpMethods.IsPost(method) && (path.Equals("/api/v1/tokens", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/v1/tokens/", StringComparison.OrdinalIgnoreCase)))
            return ("token-creation", who);
        if (CookieSetup.IsApiPath(path))
            return ("api", who);
        return null;
    }

    public static IServiceCollection AddMeshPortalRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (Partition(http.Request.Method, http.Request.Path, http.User, http.Connection.RemoteIpAddress?.ToString()) is not { } p)
                    return RateLimitPartition.GetNoLimiter("none");
                var permits = p.Limit switch
                {
                    "sign-in" => options.SignInPerMinute,
                    "token-creation" => options.TokenCreationPerMinute,
                    _ => options.ApiPerMinute,
                };
                return permits <= 0
                    ? RateLimitPartition.GetNoLimiter("off:" + p.Limit)
                    : RateLimitPartition.GetFixedWindowLimiter(p.Limit + "|" + p.Key, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = permits,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60;
                http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var what = Partition(http.Request.Method, http.Request.Path, http.User, http.Connection.RemoteIpAddress?.ToString())?.Limit switch
                {
                    "sign-in" => "Too many sign-in attempts from your address",
                    "token-creation" => "Too many API tokens created",
                    _ => "Too many API requests",
                };
                var message = $"{what}; retry in {retry} s.";
                if (CookieSetup.IsApiRequest(http.Request))
                {
                    await ProblemWriter.WriteAsync(http, StatusCodes.Status429TooManyRequests, message);
                }
                else
                {
                    http.Response.ContentType = "text/plain; charset=utf-8";
                    await http.Response.WriteAsync(message, ct);
                }
            };
        });
    }
}
