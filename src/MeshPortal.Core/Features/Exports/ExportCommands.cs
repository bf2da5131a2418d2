using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Core.Features.Exports;

/// <summary>A new export as asked for: the owning team by id (the form's picker) or by name (the API), or neither.</summary>
public sealed record NewExport(string? Cluster, string? Namespace, string? Service, IReadOnlyList<int>? Ports, IReadOnlyList<string>? Consumers,
    int? TeamId = null, string? TeamName = null);

/// <summary>
/// Every change to an export, for the export form, the export list and <c>/api/v1/exports</c> alike: the ownership rule
/// (<see cref="ExportPermissions"/>) first, then <see cref="ExportService"/>, which
/// validate, save with the audit record and ask for the push. An export the caller may not read is "not found" (ids reveal
/// nothing); one they may read but not change is <see cref="ExportFailureKind.Forbidden"/>.
/// </summary>
public sealed class ExportCommands(ExportService exports, ExportQueries queries, ExportPermissions permissions, TeamService teams)
{
    public async Task<ExportSaveResult> CreateAsync(Actor actor, NewExport request, CancellationToken ct)
    {
        var cluster = request.Cluster?.Trim();
        var ns = request.Namespace?.Trim();
        int? owner = null;
        if (!string.IsNullOrEmpty(cluster) && !string.IsNullOrEmpty(ns))
        {
            var requested = request.TeamId;
            if (!string.IsNullOrWhiteSpace(request.TeamName))
            {
                requested = (await teams.ListAsync(ct)).FirstOrDefault(t => t.Name == request.TeamName.Trim())?.Id;
                if (requested is null)
                {
                    return ExportSaveResult.Fail(ExportFailureKind.Invalid, "team", $"There is no team '{request.TeamName.Trim()}'.");
                }
            }

            var decision = await permissions.DecideCreateAsync(actor, cluster, ns, requested, ct);
            if (!decision.Allowed)
            {
                return ExportSaveResult.Fail(ExportFailureKind.Forbidden, "export", decision.Error!);
            }

            if (decision.Error is not null)
            {
                return ExportSaveResult.Fail(ExportFailureKind.Invalid, "team", decision.Error);
            }

            owner = decision.OwnerTeamId;
        }
        else if (!ExportAccess.MayCreateAny(await permissions.RightsAsync(actor, ct)))
        {
            return ExportSaveResult.Fail(ExportFailureKind.Forbidden, "export", actor.Refusal("create exports"));
        }

        return await exports.CreateAsync(new ExportRequest(cluster, ns, request.Service?.Trim(), request.Ports, request.Consumers)
        {
            OwnerTeamId = owner,
            CreatedByUserId = actor.UserId,
        }, actor.Who, ct);
    }

    public async Task<ExportSaveResult> UpdateAsync(Actor actor, int id, ExportChange change, CancellationToken ct) =>
        await GuardAsync(actor, id, ct) ?? await exports.UpdateAsync(id, change, actor.Who, ct);

    public async Task<ExportSaveResult> DeleteAsync(Actor actor, int id, CancellationToken ct) =>
        await GuardAsync(actor, id, ct) ?? await exports.DeleteAsync(id, actor.Who, ct);

    /// <summary>Null when the caller may change export <paramref name="id"/>; else why not (also used by the move commands).</summary>
    public async Task<ExportSaveResult?> GuardAsync(Actor actor, int id, CancellationToken ct)
    {
        var export = await queries.GetAsync(id, ct);
        var rights = await permissions.RightsAsync(actor, ct);
        if (export is null || !ExportAccess.MayRead(rights, ExportPermissions.TargetOf(export)))
        {
            return ExportSaveResult.Fail(ExportFailureKind.NotFound, "id", $"There is no export {id}. GET /api/v1/exports lists the exports.");
        }

        return ExportAccess.MayWrite(rights, ExportPermissions.TargetOf(export))
            ? null
            : ExportSaveResult.Fail(ExportFailureKind.Forbidden, "export",
                actor.ReadOnly ? "This API token is read-only; use a token that may make changes." : $"You may not change export {id} ({export.Host}).");
    }
}
