namespace MeshPortal.Core.Features.Probes;

/// <summary>One classified result of one target in one cycle, ready to store.</summary>
public sealed record ProbeRecord(
    ProbeTarget Target,
    ProbeClassification Classification,
    int? HttpStatus,
    double? LatencyMs,
    int? ExitCode,
    DateTimeOffset ObservedAt)
{
    /// <summary>Maps a parsed exec output onto the targets (pure): parsed ones are classified, missing ones are Unknown.</summary>
    public static IReadOnlyList<ProbeRecord> FromOutput(IReadOnlyList<ProbeTarget> targets, IReadOnlyDictionary<int, CurlOutcome> outcomes, string? missingReason, DateTimeOffset now) =>
        [.. targets.Select((t, i) => outcomes.TryGetValue(i, out var o)
            ? new ProbeRecord(t, ProbeClassifier.Classify(o, t.Host, t.Port), o.HttpCode == 0 ? null : o.HttpCode,
                Math.Round(o.TimeTotalSeconds * 1000, 1), o.ExitCode, now)
            : new ProbeRecord(t, ProbeClassifier.NoAnswer(missingReason ?? "The probe printed no result for this target."), null, null, null, now))];

    /// <summary>The same classification for every target (API unreachable, probe pod missing).</summary>
    public static IReadOnlyList<ProbeRecord> All(IReadOnlyList<ProbeTarget> targets, ProbeClassification classification, DateTimeOffset now) =>
        [.. targets.Select(t => new ProbeRecord(t, classification, null, null, null, now))];
}
