namespace MeshPortal.Core.Features.Exports;

/// <summary>One consumer pair of an export: the verdict it has today and the multi-primary verdict it could have (null: it cannot).</summary>
public sealed record MovePair(string Consumer, PairVerdict Current, PairVerdict? Modern)
{
    /// <summary>The pair runs <c>.global</c> today and both sides can run multi-primary: the move changes it.</summary>
    public bool Moves => Current.IsGlobal && Modern is not null;
}

/// <summary>Whether "move to multi-primary" is offered for an export, and if not, why (in words the page and the API show).</summary>
public sealed record MoveOffer(bool Offered, string Reason, IReadOnlyList<string> Consumers);

/// <summary>The latest probe of the new name on one port from one moving consumer.</summary>
public sealed record NewNameProbe(string Consumer, int Port, string Status, DateTimeOffset ObservedAt);

/// <summary>What the watcher does with a moving export after a probe cycle: finish it, or keep waiting (with what it is waiting for).</summary>
public sealed record MoveStep(bool Finish, string Note);

/// <summary>
/// The move from <c>.global</c> to multi-primary as a small state machine (Issue 15, "Moving from .global"): None → Moving (the
/// modern objects are written while the <c>.global</c> ones stay, so apps on the old name keep working) → Moved (only once the
/// new name answered Ok on every exported port from every moving consumer, in a probe taken after the move started; only then
/// do the <c>.global</c> objects go). Pure.
/// </summary>
public static class ExportMoveRules
{
    /// <summary>The probe status that counts as "the new name answers" (<c>ProbeStatus.Ok</c>).</summary>
    public const string Answered = "Ok";

    /// <summary>Whether the action is offered: phase None, at least one pair on <c>.global</c>, and every <c>.global</c> pair able to run multi-primary.</summary>
    public static MoveOffer Offer(ExportMovePhase phase, string exporter, IReadOnlyList<MovePair> pairs)
    {
        switch (phase)
        {
            case ExportMovePhase.Moving:
                return new MoveOffer(false, "The move to multi-primary is under way.", Moving(pairs));
            case ExportMovePhase.Moved:
                return new MoveOffer(false, "This export was moved to multi-primary.", []);
        }

        var global = pairs.Where(p => p.Current.IsGlobal).ToList();
        if (global.Count == 0)
        {
            return new MoveOffer(false, "No consumer calls this export by its .global name, so there is nothing to move.", []);
        }

        var stuck = global.Where(p => p.Modern is null).Select(p => p.Consumer).Order(StringComparer.Ordinal).ToList();
        if (stuck.Count > 0)
        {
            return new MoveOffer(false,
                $"{string.Join(", ", stuck)} and {exporter} cannot both run multi-primary (each needs Istio 1.8 or later with its own cluster ID, " +
                "and both one mesh ID); the export stays on .global.", []);
        }

        var consumers = Moving(pairs);
        return new MoveOffer(true,
            $"{string.Join(", ", consumers)} can call this service by its own name. MeshPortal writes the multi-primary objects, probes the new name " +
            "until it answers, then removes the .global objects; the .global name keeps working until then.", consumers);
    }

    /// <summary>The consumers a move changes, in name order.</summary>
    public static IReadOnlyList<string> Moving(IReadOnlyList<MovePair> pairs) =>
        [.. pairs.Where(p => p.Moves).Select(p => p.Consumer).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// After a probe cycle: finish when every moving consumer has, for every exported port, a probe of the new name taken at or after
    /// <paramref name="startedAt"/> that answered Ok. Otherwise wait, saying per consumer what the last probe saw.
    /// </summary>
    public static MoveStep Observe(DateTimeOffset startedAt, IReadOnlyList<string> consumers, IReadOnlyList<int> ports, IReadOnlyList<NewNameProbe> probes)
    {
        if (consumers.Count == 0)
        {
            return new MoveStep(false, "No consumer can move right now (see each consumer's state); the .global objects stay.");
        }

        var waiting = new List<string>();
        foreach (var consumer in consumers)
        {
            foreach (var port in ports)
            {
                var latest = probes.Where(p => p.Consumer == consumer && p.Port == port && p.ObservedAt >= startedAt)
                    .OrderByDescending(p => p.ObservedAt).FirstOrDefault();
                if (latest is null)
                {
                    waiting.Add($"{consumer}:{port} not probed yet");
                }
                else if (latest.Status != Answered)
                {
                    waiting.Add($"{consumer}:{port} answered {latest.Status} at {latest.ObservedAt:HH:mm:ss} UTC");
                }
            }
        }

        return waiting.Count == 0
            ? new MoveStep(true, $"The new name answered from {string.Join(", ", consumers)}; the .global objects are removed.")
            : new MoveStep(false, "Waiting for the new name to answer: " + string.Join("; ", waiting) + ". The .global name keeps working meanwhile.");
    }

    /// <summary>The verdict one pair uses in a phase: after the move, multi-primary wherever both sides can run it.</summary>
    public static PairVerdict Effective(ExportMovePhase phase, PairVerdict current, PairVerdict? modern) =>
        phase == ExportMovePhase.Moved && modern is not null && current.IsGlobal ? modern : current;

    /// <summary>Whether the modern objects (consumer Service, ServiceExport) are written for a pair in a phase, besides what its verdict writes.</summary>
    public static bool WritesModern(ExportMovePhase phase, PairVerdict current, PairVerdict? modern) =>
        phase == ExportMovePhase.Moving && modern is not null && current.IsGlobal;
}
