using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Users;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

public sealed record CreateTeamRequest(string? Name, string? Description);

public sealed record TeamMembersRequest(List<string>? Members);

public sealed record TeamGrantRequest(string? Cluster, string? Namespace);

public sealed record CreateUserRequest(string? UserName, string? Password, string? Role, List<string>? Teams);

public sealed record UserRoleRequest(string? Role);

public sealed record UserTeamsRequest(List<string>? Teams);

public sealed record UserPasswordRequest(string? Password);

/// <summary>Teams, grants and users: /api/v1/teams and /api/v1/users, platform admins only.</summary>
internal static class AdminEndpoints
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        // Reading needs an admin (read-only admin tokens too); every change also needs teams.manage / users.manage.
        var teams = app.MapGroup("/api/v1/teams").WithTags("Teams").RequireAuthorization(Policies.TeamsRead).DisableAntiforgery();
        teams.MapGet("/", ListTeamsAsync)
            .WithSummary("Admins: every team with its members and (cluster, namespace) grants.");
        teams.MapPost("/", CreateTeamAsync)
            .RequireAuthorization(Policies.TeamsManage)
            .WithSummary("Admins: create a team (409 if the name exists).");
        teams.MapDelete("/{id:int}", DeleteTeamAsync)
            .RequireAuthorization(Policies.TeamsManage)
            .WithSummary("Admins: delete a team; its exports keep existing without an owning team.");
        teams.MapPut("/{id:int}/members", SetMembersAsync)
            .RequireAuthorization(Policies.TeamsManage)
            .WithSummary("Admins: set the team's members (user names or ids).");
        teams.MapPost("/{id:int}/grants", AddGrantAsync)
            .RequireAuthorization(Policies.TeamsManage)
            .WithSummary("Admins: grant the team a namespace on a cluster, or on every cluster with cluster \"*\".");
        teams.MapDelete("/{id:int}/grants/{grantId:int}", RemoveGrantAsync)
            .RequireAuthorization(Policies.TeamsManage)
            .WithSummary("Admins: take a grant away from the team.");

        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.UsersRead).DisableAntiforgery();
        users.MapGet("/", ListUsersAsync)
            .WithSummary("Admins: every account with its role, teams and lock state.");
        users.MapPost("/", CreateUserAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: create a local account (role Admin, TeamMember or Viewer; teams by name). 400 lists the password rules broken.");
        users.MapPut("/{id}/role", SetRoleAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: set the account's role (null: none).");
        users.MapPut("/{id}/teams", SetUserTeamsAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: set the teams the account belongs to (by name).");
        users.MapPost("/{id}/password", ResetPasswordAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: set a new password (the password rules apply).");
        users.MapPost("/{id}/lock", LockAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: lock the account (no sign-in, its API tokens stop working).");
        users.MapPost("/{id}/unlock", UnlockAsync)
            .RequireAuthorization(Policies.UsersManage)
            .WithSummary("Admins: unlock the account (also after too many failed sign-ins).");
    }

    private static async Task<Ok<IReadOnlyList<TeamView>>> ListTeamsAsync(TeamService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct));

    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> CreateTeamAsync(CreateTeamRequest r, TeamService s, HttpContext http, CancellationToken ct) =>
        Created(await s.CreateAsync(r.Name, r.Description, AuditContexts.From(http), ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTeamAsync(int id, TeamService s, HttpContext http, CancellationToken ct) =>
        NoContent(await s.DeleteAsync(id, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> SetMembersAsync(int id, TeamMembersRequest r, TeamService s, HttpContext http, CancellationToken ct) =>
        Team(await s.SetMembersAsync(id, r.Members ?? [], AuditContexts.From(http), ct));

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> AddGrantAsync(int id, TeamGrantRequest r, TeamService s, HttpContext http, CancellationToken ct) =>
        Team(await s.AddGrantAsync(id, r.Cluster, r.Namespace, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> RemoveGrantAsync(int id, int grantId, TeamService s, HttpContext http, CancellationToken ct) =>
        Team(await s.RemoveGrantAsync(id, grantId, AuditContexts.From(http), ct));

    private static async Task<Ok<IReadOnlyList<UserView>>> ListUsersAsync(UserAdministration s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct));

    private static async Task<Results<Created<UserView>, ProblemHttpResult>> CreateUserAsync(CreateUserRequest r, UserAdministration s, HttpContext http, CancellationToken ct) =>
        UserCreated(await s.CreateAsync(r.UserName, r.Password, r.Role, r.Teams, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetRoleAsync(string id, UserRoleRequest r, UserAdministration s, HttpContext http, CancellationToken ct) =>
        User(await s.SetRoleAsync(id, r.Role, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> SetUserTeamsAsync(string id, UserTeamsRequest r, UserAdministration s, HttpContext http, CancellationToken ct) =>
        User(await s.SetTeamsAsync(id, r.Teams ?? [], AuditContexts.From(http), ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> ResetPasswordAsync(string id, UserPasswordRequest r, UserAdministration s, HttpContext http, CancellationToken ct) =>
        User(await s.ResetPasswordAsync(id, r.Password, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> LockAsync(string id, UserAdministration s, HttpContext http, CancellationToken ct) =>
        User(await s.LockAsync(id, AuditContexts.From(http), ct));

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> UnlockAsync(string id, UserAdministration s, HttpContext http, CancellationToken ct) =>
        User(await s.UnlockAsync(id, AuditContexts.From(http), ct));

    private static Results<Created<TeamView>, ProblemHttpResult> Created(TeamResult r) =>
        r.Succeeded ? TypedResults.Created(PortalUrls.Api.Team(r.Team!.Id), r.Team) : Problem(r.Errors, r.NotFound, r.Conflict);

    private static Results<NoContent, ProblemHttpResult> NoContent(TeamResult r) =>
        r.Succeeded ? TypedResults.NoContent() : Problem(r.Errors, r.NotFound, r.Conflict);

    private static Results<Ok<TeamView>, ProblemHttpResult> Team(TeamResult r) =>
        r.Succeeded ? TypedResults.Ok(r.Team!) : Problem(r.Errors, r.NotFound, r.Conflict);

    private static Results<Created<UserView>, ProblemHttpResult> UserCreated(UserResult r) =>
        r.Succeeded ? TypedResults.Created(PortalUrls.Api.User(r.User!.Id), r.User) : Problem(r.Errors, r.NotFound, r.Conflict);

    private static Results<Ok<UserView>, ProblemHttpResult> User(UserResult r) =>
        r.Succeeded ? TypedResults.Ok(r.User!) : Problem(r.Errors, r.NotFound, r.Conflict);

    private static ProblemHttpResult Problem(IReadOnlyDictionary<string, string[]> errors, bool notFound, bool conflict)
    {
        var status = notFound ? StatusCodes.Status404NotFound : conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        return TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = status,
            Title = notFound ? "Not found" : conflict ? "Conflict" : "Invalid request",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value)),
            Type = $"https://httpstatuses.io/{status}",
        });
    }
}
