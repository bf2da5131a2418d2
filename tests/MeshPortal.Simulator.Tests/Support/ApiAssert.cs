using System.Net;
using System.Text.Json.Nodes;
using k8s.Autorest;

namespace MeshPortal.Simulator.Tests.Support;

/// <summary>Asserts that a KubernetesClient call failed with a given status code and returns the Status body.</summary>
public static class ApiAssert
{
    public static async Task<JsonObject> FailsWith(HttpStatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal((int)code, (int)status["code"]!);
        return status;
    }

    public static IReadOnlyList<string> CauseFields(JsonObject status) =>
        status["details"]?["causes"]?.AsArray().Select(c => (string?)c!["field"] ?? "").ToList() ?? [];

    public static string CauseMessages(JsonObject status) =>
        string.Join("\n", status["details"]?["causes"]?.AsArray().Select(c => (string?)c!["message"] ?? "") ?? []);
}
