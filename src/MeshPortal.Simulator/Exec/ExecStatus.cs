using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Exec;

/// <summary>The V1Status objects of an exec: the channel-3 result, and refused requests.</summary>
internal static class ExecStatus
{
    public static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    /// <summary>The status kubelet reports for a non-zero exit; clients read the code from <c>details.causes[ExitCode]</c>.</summary>
    public static JsonObject NonZeroExit(IReadOnlyList<string> command, int exitCode) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
        ["reason"] = "NonZeroExitCode",
        ["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        },
    };

    public static JsonObject InternalError(string message) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    };
}
