using MeshPortal.Simulator.Api;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Hosting;

/// <summary>Applies a cluster's API faults to one request; true when the request was answered (or aborted) here.</summary>
internal static class FaultGate
{
    public static async Task<bool> ApplyAsync(HttpContext ctx, SimulatedFaults faults)
    {
        if (faults.ApiDown)
        {
            ctx.Abort();
            return true;
        }

        var latency = faults.ApiLatency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, ctx.RequestAborted);
        }

        if (faults.ApiDown)
        {
            ctx.Abort();
            return true;
        }

        if (faults.TooManyRequests)
        {
            ctx.Response.Headers.RetryAfter = "1";
            var details = new System.Text.Json.Nodes.JsonObject { ["retryAfterSeconds"] = 1 };
            await HttpJson.WriteAsync(ctx, 429, KubeStatus.Failure(429, "TooManyRequests", "Too many requests, please try again later.", details));
            return true;
        }

        if (faults.ApiErrorStatus is { } code)
        {
            var message = code == 503 ? "the server is currently unable to handle the request" : "Internal error occurred: simulated API server fault";
            await HttpJson.WriteAsync(ctx, code, KubeStatus.Failure(code, KubeStatus.ReasonFor(code), message));
            return true;
        }

        return false;
    }
}
