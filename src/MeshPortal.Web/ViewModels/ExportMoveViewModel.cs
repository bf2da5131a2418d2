using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Web.ViewModels;

/// <summary>One line of "call it by": a new name and the consumers that call it.</summary>
public sealed record MoveNameLine(string Host, string Consumers);

/// <summary>
/// What the export page's "move to multi-primary" card says in each phase, which buttons it offers, and the new names the app
/// team calls once the move is done. Null: no card (nothing to move, and no move ever started). Pure.
/// </summary>
public sealed record ExportMoveViewModel(string Title, string Text, string? Note, bool CanStart, bool CanStop, IReadOnlyList<MoveNameLine> NewNames, string Tone)
{
    public static ExportMoveViewModel? From(ExportView export)
    {
        if (export.Move is not { } move)
        {
            return null;
        }

        var names = move.NewNames.Where(n => n.Host is not null).GroupBy(n => n.Host!, StringComparer.Ordinal)
            .Select(g => new MoveNameLine(g.Key, string.Join(", ", g.Select(n => n.Cluster)))).ToList();
        return move.Phase switch
        {
            ExportMovePhase.Moving => new ExportMoveViewModel("Moving to multi-primary",
                $"Started {move.StartedAt:yyyy-MM-dd HH:mm} UTC. The multi-primary objects are written beside the .global ones and the probes try the " +
                $"new name from {string.Join(", ", move.Consumers)}; {export.Host} keeps working until the new name answers everywhere, then its objects are removed.",
                move.Note, false, true, names, "info"),
            ExportMovePhase.Moved => new ExportMoveViewModel("Moved to multi-primary",
                $"Since {move.FinishedAt:yyyy-MM-dd HH:mm} UTC these consumers call the service by its own name; {export.Host} no longer resolves there. " +
                "Tell the app teams to use:", null, false, false, names, "success"),
            _ when move.Offered => new ExportMoveViewModel("Move to multi-primary", move.Reason, null, true, false, names, "normal"),
            _ when export.Naming?.Names.Any(n => n.Model == ExportNamingRules.GlobalModel) == true =>
                new ExportMoveViewModel("Move to multi-primary", move.Reason, null, false, false, [], "normal"),
            _ => null,
        };
    }
}
