using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Which team owns an export. Lives with exports, not teams: the export row changes, and Teams sits below Exports
/// (an export names its owner team; a team knows nothing of exports).
/// </summary>
public sealed class ExportOwnerService(IDbContextFactory<MeshPortalDbContext> dbFactory, TeamService teams, TimeProvider clock)
{
    /// <summary>Gives an export to another team (or to none); its members can then change it.</summary>
    public async Task<TeamResult> MoveExportAsync(int exportId, int? teamId, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.Include(e => e.OwnerTeam).SingleOrDefaultAsync(e => e.Id == exportId, ct);
        if (export is null)
        {
            return TeamResult.Fail("id", $"There is no export {exportId}. GET /api/v1/exports lists the exports.", notFound: true);
        }

        TeamEntity? team = null;
        if (teamId is not null && (team = await db.Teams.SingleOrDefaultAsync(t => t.Id == teamId, ct)) is null)
        {
            return TeamResult.Fail("team", $"There is no team {teamId}. GET /api/v1/teams lists the teams.");
        }

        var before = export.OwnerTeam?.Name;
        export.OwnerTeamId = team?.Id;
        AuditLog.Stage(db, who, new AuditEvent("export.moved", "export", export.Host,
            $"Export {export.Host} moved from {before ?? "no team"} to {team?.Name ?? "no team"}", Before: new { team = before }, After: new { team = team?.Name }), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(team is null ? null : await teams.GetAsync(team.Id, ct));
    }
}
