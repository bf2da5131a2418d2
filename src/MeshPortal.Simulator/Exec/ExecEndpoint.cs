using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Exec.Shell;
using MeshPortal.Simulator.Mesh;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Exec;

/// <summary>
/// <c>GET /api/v1/namespaces/{ns}/pods/{name}/exec</c> (after auth): checks the pod and container like the API server and
/// kubelet (404/400 Status responses, not upgraded), accepts the WebSocket with the client's sub-protocol
/// (<c>v5.channel.k8s.io</c> from kubectl, <c>v4.channel.k8s.io</c> from the C# client), runs the command in the
/// simulated container (<see cref="ShellInterpreter"/>, where curl follows the mesh rules), streams stdout/stderr, and
/// ends with the V1Status on channel 3 and a close.
/// </summary>
internal static class ExecEndpoint
{
    public static async Task HandleAsync(HttpContext context, SimulatedMesh mesh, string clusterName, string @namespace, string podName)
    {
        var cluster = mesh.Cluster(clusterName);
        var pod = cluster?.Get("", "pods", @namespace, podName);
        if (cluster is null || pod is null)
        {
            await RefuseAsync(context, 404, $"pods \"{podName}\" not found", KubeStatus.Details(podName, "", "pods"));
            return;
        }

        var query = ExecQuery.From(context.Request.Query);
        var containers = pod.Objects("spec", "containers").Select(c => c.Str("name") ?? "").ToList();
        var container = query.Container ?? pod.Str("metadata", "annotations", "kubectl.kubernetes.io/default-container") ?? containers.FirstOrDefault() ?? "";
        var phase = pod.Str("status", "phase") ?? "Pending";
        var refusal =
            !containers.Contains(container) ? $"container {container} is not valid for pod {podName}"
            : phase is "Succeeded" or "Failed" ? $"cannot exec into a container in a completed pod; current phase is {phase}"
            : phase != "Running" ? $"unable to upgrade connection: container not found (\"{container}\")"
            : query.Command.Count == 0 ? "you must specify at least 1 command"
            : !context.WebSockets.IsWebSocketRequest ? "Upgrade request required"
            : null;
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = requested.Contains(ExecFrames.V5) ? ExecFrames.V5 : requested.Contains(ExecFrames.V4) ? ExecFrames.V4 : null;
        if (refusal is null && protocol is null)
        {
            refusal = $"unable to upgrade connection: none of the requested sub-protocols [{string.Join(", ", requested)}] is supported; use {ExecFrames.V5} or {ExecFrames.V4}";
        }

        if (refusal is not null)
        {
            await RefuseAsync(context, 400, refusal);
            return;
        }

        var ct = context.RequestAborted;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var session = new ExecSession(socket, query, protocol == ExecFrames.V5, ct);
        try
        {
            JsonObject status;
            if (cluster.Faults.ExecFails)
            {
                status = ExecStatus.InternalError($"error executing command in container: container not running ({container})");
            }
            else
            {
                var shell = new ShellInterpreter(new ExecContext
                {
                    Mesh = mesh,
                    Cluster = cluster,
                    Pod = pod,
                    Container = container,
                    Tty = query.Tty,
                    ReadStdinAsync = session.ReadStdinAsync,
                });
                var exitCode = await shell.RunAsync(query.Command, new ShellStreams(session), ct);
                status = exitCode == 0 ? ExecStatus.Success() : ExecStatus.NonZeroExit(query.Command, exitCode);
            }

            await session.FinishAsync(status, ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client hung up; nothing left to tell it.
        }
    }

    private static async Task RefuseAsync(HttpContext context, int code, string message, JsonObject? details = null)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(KubeStatus.Failure(code, KubeStatus.ReasonFor(code), message, details).ToJsonString(), context.RequestAborted);
    }
}
