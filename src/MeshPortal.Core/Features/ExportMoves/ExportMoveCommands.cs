using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Core.Features.ExportMoves;

/// <summary>
/// Starting and stopping a move to multi-primary, for the export page and <c>/api/v1/exports/{id}/move</c> alike: the
/// same ownership rule as every other export change (<see cref="ExportCommands.GuardAsync"/>), then
/// <see cref="ExportMoveService"/>, which validates, saves with the audit record and asks for the push.
/// </summary>
public sealed class ExportMoveCommands(ExportCommands exports, ExportMoveService moves)
{
    public async Task<ExportSaveResult> StartAsync(Actor actor, int id, CancellationToken ct) =>
        await exports.GuardAsync(actor, id, ct) ?? await moves.StartAsync(id, actor.Who, ct);

    public async Task<ExportSaveResult> CancelAsync(Actor actor, int id, CancellationToken ct) =>
        await exports.GuardAsync(actor, id, ct) ?? await moves.CancelAsync(id, actor.Who, ct);
}
