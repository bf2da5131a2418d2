using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>Sync state of a cluster and "sync now": <c>/api/v1/clusters/{name}/sync</c>, <c>/sync-runs</c>, <c>/managed-objects</c>.</summary>
internal static class SyncEndpoints
{
    public const int RunsShown = 20;

    public static void MapSyncApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clusters/{name}").WithTags("Sync").RequireAuthorization();
        group.MapPost("/sync", SyncNowAsync).RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Queue a push of the cluster's desired state now (202); the result appears in /sync-runs.");
        group.MapGet("/sync-runs", RunsAsync).WithSummary("The cluster's latest sync runs, newest first, with their changes and notes.");
        group.MapGet("/managed-objects", ObjectsAsync).WithSummary("Every object MeshPortal manages in the cluster with its sync state.");
    }

    private static async Task<Results<Accepted<SyncRequestedDto>, ProblemHttpResult>> SyncNowAsync(
        string name, RequestSyncCommand command, HttpContext http, CancellationToken ct)
    {
        var result = await command.RunAsync(Actors.From(http), name, ct);
        if (result.Value is not { } queued)
        {
            return CommandProblems.Problem(result, "Cluster not found");
        }

        var runs = PortalUrls.Api.SyncRuns(queued.Cluster);
        return TypedResults.Accepted(runs, new SyncRequestedDto(queued.Cluster, queued.Trigger, "queued", runs));
    }

    private static async Task<Results<Ok<List<SyncRunDto>>, ProblemHttpResult>> RunsAsync(
        string name, ClusterQueries clusters, SyncHistory reader, CancellationToken ct)
    {
        var cluster = await clusters.GetAsync(name, 0, ct);
        if (cluster is null)
        {
            return NotFound(name);
        }

        var runs = await reader.RunsAsync(cluster.Id, RunsShown, ct);
        return TypedResults.Ok(runs.Select(SyncRunDto.From).ToList());
    }

    private static async Task<Results<Ok<List<ManagedObjectDto>>, ProblemHttpResult>> ObjectsAsync(
        string name, ClusterQueries clusters, SyncHistory reader, CancellationToken ct)
    {
        var cluster = await clusters.GetAsync(name, 0, ct);
        if (cluster is null)
        {
            return NotFound(name);
        }

        var objects = await reader.ObjectsAsync(cluster.Id, ct);
        return TypedResults.Ok(objects.Select(ManagedObjectDto.From).ToList());
    }

    private static ProblemHttpResult NotFound(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Cluster not found",
        detail: $"No cluster named '{name}' is registered. GET /api/v1/clusters lists the registered clusters.");
}

public sealed record SyncRequestedDto(string Cluster, string Trigger, string Status, string RunsUrl);

public sealed record SyncChangeDto(string Action, string? Kind, string? Namespace, string? Name, string? Source, string? Message)
{
    public static SyncChangeDto From(SyncChange c) => new(c.Action, c.Kind, c.Namespace, c.Name, c.Source, c.Message);
}

public sealed record SyncRunDto(
    long Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    bool Succeeded,
    int Created,
    int Updated,
    int Deleted,
    int Unchanged,
    int Failed,
    string? Error,
    IReadOnlyList<SyncChangeDto> Changes)
{
    public static SyncRunDto From(SyncRunView r) => new(r.Id, r.Trigger, r.StartedAt, r.FinishedAt, r.Succeeded, r.Created, r.Updated, r.Deleted,
        r.Unchanged, r.Failed, r.Error, [.. r.Changes.Select(SyncChangeDto.From)]);
}

public sealed record ManagedObjectDto(
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    string Source,
    string State,
    string? Message,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSyncedAt)
{
    public static ManagedObjectDto From(ManagedObjectView m) => new(m.ApiVersion, m.Kind, m.Namespace, m.Name, m.Source,
        m.State.ToString(), m.Message, m.LastAttemptAt, m.LastSyncedAt);
}
