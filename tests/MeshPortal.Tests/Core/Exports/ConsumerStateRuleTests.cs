using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The one rule of a consumer's sync state (<see cref="ConsumerStateRule.Decide"/>; the state filter's <see cref="ConsumerStateRule.StateOf"/>
/// and the views' <see cref="ExportStatusMapper.Map"/> both take it from there), from its inputs: the objects' outcome, a pending
/// reason, the last push, the pair's verdict (.global, insecure, unsupported either way, unknown mesh facts, multi-primary) and
/// when the export last changed. <c>ExportStatusMapperTests</c> checks what Map adds to each cause.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ConsumerStateRuleTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The last pushes by name: none, succeeded now / two hours ago, failed now (with an error) / two hours ago (without).</summary>
    private static readonly Dictionary<string, LastPush?> Pushes = new()
    {
        ["none"] = null, ["ok"] = new LastPush(true, null, T), ["ok-old"] = new LastPush(true, null, T.AddHours(-2)),
        ["failed"] = new LastPush(false, "connection refused", T), ["failed-old"] = new LastPush(false, null, T.AddHours(-2)),
    };

    /// <summary>The pair verdicts by name.</summary>
    private static readonly Dictionary<string, PairVerdict?> Models = new()
    {
        ["none"] = null,
        ["global"] = new PairVerdict(PairSupport.Supported, ".global"),
        ["insecure"] = new PairVerdict(PairSupport.Supported, ".global, insecure", "hint", Insecure: true),
        ["unsupported-consumer"] = new PairVerdict(PairSupport.Unsupported, "cannot consume .global", "upgrade"),
        ["unsupported-exporter"] = new PairVerdict(PairSupport.Unsupported, "cannot export"),
        ["unknown"] = new PairVerdict(PairSupport.Unknown, "mesh model not read", "run the check"),
        ["multi-primary"] = new PairVerdict(PairSupport.Supported, "Multi-primary", Model: PairModel.MultiPrimary),
    };

    /// <summary>When the export last changed: unknown, an hour before the "ok" push, an hour after it.</summary>
    private static readonly Dictionary<string, DateTimeOffset?> Changes = new() { ["none"] = null, ["before"] = T.AddHours(-1), ["after"] = T.AddHours(1) };

    private static readonly ObjectsOutcome[] AllOutcomes = Enum.GetValues<ObjectsOutcome>();

    private static ConsumerStateCause Decide(ObjectsOutcome objects, bool pending, string push, string model, string changed) =>
        ConsumerStateRule.Decide(objects, pending, Pushes[push], Models[model], Changes[changed]);

    [Theory]
    // An unsupported pair is Unsupported whatever was recorded, pushed or pending.
    [InlineData(ObjectsOutcome.Synced, false, "ok", "unsupported-consumer", "none", ConsumerStateCause.PairUnsupported, ObjectSyncState.Unsupported)]
    [InlineData(ObjectsOutcome.Failed, true, "failed", "unsupported-exporter", "after", ConsumerStateCause.PairUnsupported, ObjectSyncState.Unsupported)]
    [InlineData(ObjectsOutcome.None, false, "none", "unsupported-exporter", "before", ConsumerStateCause.PairUnsupported, ObjectSyncState.Unsupported)]
    // Multi-primary with nothing recorded: Synced once pushed since the export changed (or when its change time is unknown).
    [InlineData(ObjectsOutcome.None, false, "ok", "multi-primary", "none", ConsumerStateCause.ResolvedByItself, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.None, false, "ok", "multi-primary", "before", ConsumerStateCause.ResolvedByItself, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.None, true, "ok", "multi-primary", "before", ConsumerStateCause.ResolvedByItself, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.None, false, "ok", "multi-primary", "after", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, false, "ok-old", "multi-primary", "before", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, false, "ok-old", "multi-primary", "none", ConsumerStateCause.ResolvedByItself, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.None, false, "none", "multi-primary", "none", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    // ... the exporter's missing gateway address is a .global matter: a multi-primary consumer ignores it.
    [InlineData(ObjectsOutcome.None, true, "ok", "multi-primary", "after", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, true, "failed", "multi-primary", "none", ConsumerStateCause.PushFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.None, false, "failed-old", "multi-primary", "after", ConsumerStateCause.PushFailed, ObjectSyncState.Failed)]
    // ... and objects an earlier model wrote decide as anywhere else.
    [InlineData(ObjectsOutcome.Synced, false, "ok", "multi-primary", "after", ConsumerStateCause.ObjectsSynced, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.Failed, true, "ok", "multi-primary", "before", ConsumerStateCause.ObjectFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.Waiting, false, "ok", "multi-primary", "none", ConsumerStateCause.ObjectsWaiting, ObjectSyncState.Pending)]
    // Mesh facts never read: Pending with that reason whatever was recorded or pushed, unless the exporter's own reason comes first.
    [InlineData(ObjectsOutcome.Synced, false, "ok", "unknown", "none", ConsumerStateCause.MeshModelUnknown, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.Failed, false, "failed", "unknown", "after", ConsumerStateCause.MeshModelUnknown, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, false, "failed", "unknown", "before", ConsumerStateCause.MeshModelUnknown, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, true, "failed", "unknown", "none", ConsumerStateCause.ExporterNotReady, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.Synced, true, "ok", "unknown", "none", ConsumerStateCause.ObjectsSynced, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.Failed, true, "ok", "unknown", "none", ConsumerStateCause.ObjectFailed, ObjectSyncState.Failed)]
    // No object recorded (.global, insecure or no verdict): the exporter's reason, else a failed push, else waiting.
    [InlineData(ObjectsOutcome.None, true, "failed", "global", "none", ConsumerStateCause.ExporterNotReady, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, true, "none", "none", "none", ConsumerStateCause.ExporterNotReady, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, false, "failed", "global", "after", ConsumerStateCause.PushFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.None, false, "failed-old", "insecure", "none", ConsumerStateCause.PushFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.None, false, "failed", "none", "none", ConsumerStateCause.PushFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.None, false, "ok", "global", "before", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.None, false, "none", "none", "none", ConsumerStateCause.FirstPushAwaited, ObjectSyncState.Pending)]
    // Recorded objects: any failed is Failed (even when the last push succeeded), all synced is Synced (even when it failed), else Pending.
    [InlineData(ObjectsOutcome.Failed, false, "ok", "global", "none", ConsumerStateCause.ObjectFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.Failed, true, "none", "none", "none", ConsumerStateCause.ObjectFailed, ObjectSyncState.Failed)]
    [InlineData(ObjectsOutcome.Synced, false, "failed", "global", "after", ConsumerStateCause.ObjectsSynced, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.Synced, true, "ok-old", "insecure", "none", ConsumerStateCause.ObjectsSynced, ObjectSyncState.Synced)]
    [InlineData(ObjectsOutcome.Waiting, false, "failed", "global", "none", ConsumerStateCause.ObjectsWaiting, ObjectSyncState.Pending)]
    [InlineData(ObjectsOutcome.Waiting, true, "ok", "none", "before", ConsumerStateCause.ObjectsWaiting, ObjectSyncState.Pending)]
    public void The_rule_decides_the_cause_and_its_state(ObjectsOutcome objects, bool pending, string push, string model, string changed,
        ConsumerStateCause cause, ObjectSyncState state)
    {
        Assert.Equal(cause, Decide(objects, pending, push, model, changed));
        Assert.Equal(state, ConsumerStateRule.StateOf(objects, pending, Pushes[push], Models[model], Changes[changed]));
    }

    [Fact]
    public void Only_a_multi_primary_consumer_with_nothing_recorded_and_a_succeeded_push_depends_on_when_the_export_changed()
    {
        var dependent = new List<string>();
        foreach (var (objects, pending, push, model) in Grid())
        {
            var causes = Changes.Keys.Select(changed => Decide(objects, pending, push, model, changed)).Distinct().ToList();
            if (causes.Count > 1)
            {
                dependent.Add($"{objects} {pending} {push} {model}");
            }
        }

        Assert.Equal(new[] { "None False ok multi-primary", "None False ok-old multi-primary", "None True ok multi-primary", "None True ok-old multi-primary" }, dependent.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unsupported_pair_is_Unsupported_and_no_other_input_is()
    {
        foreach (var (objects, pending, push, model) in Grid())
        {
            foreach (var changed in Changes.Keys)
            {
                var unsupported = Models[model] is { Support: PairSupport.Unsupported };
                Assert.Equal(unsupported, Decide(objects, pending, push, model, changed) == ConsumerStateCause.PairUnsupported);
                Assert.Equal(unsupported, Decide(objects, pending, push, model, changed).State() == ObjectSyncState.Unsupported);
            }
        }
    }

    [Fact]
    public void A_global_or_insecure_verdict_decides_as_no_verdict()
    {
        foreach (var (objects, pending, push, _) in Grid().Where(g => g.Model == "none"))
        {
            foreach (var changed in Changes.Keys)
            {
                var plain = Decide(objects, pending, push, "none", changed);
                Assert.Equal(plain, Decide(objects, pending, push, "global", changed));
                Assert.Equal(plain, Decide(objects, pending, push, "insecure", changed));
            }
        }
    }

    [Fact]
    public void Every_cause_is_reached()
    {
        var reached = Grid().SelectMany(g => Changes.Keys.Select(changed => Decide(g.Objects, g.Pending, g.Push, g.Model, changed))).ToHashSet();
        Assert.Equal(Enum.GetValues<ConsumerStateCause>().ToHashSet(), reached);
    }

    [Fact]
    public void The_state_of_every_cause()
    {
        Assert.Equal(ObjectSyncState.Unsupported, ConsumerStateCause.PairUnsupported.State());
        Assert.Equal(ObjectSyncState.Synced, ConsumerStateCause.ResolvedByItself.State());
        Assert.Equal(ObjectSyncState.Synced, ConsumerStateCause.ObjectsSynced.State());
        Assert.Equal(ObjectSyncState.Failed, ConsumerStateCause.PushFailed.State());
        Assert.Equal(ObjectSyncState.Failed, ConsumerStateCause.ObjectFailed.State());
        Assert.All(new[] { ConsumerStateCause.MeshModelUnknown, ConsumerStateCause.ExporterNotReady, ConsumerStateCause.FirstPushAwaited, ConsumerStateCause.ObjectsWaiting },
            c => Assert.Equal(ObjectSyncState.Pending, c.State()));
    }

    [Fact]
    public void The_state_filters_call_allocates_nothing()
    {
        var push = Pushes["ok"];
        var model = Models["multi-primary"];
        var changed = Changes["before"];
        var state = ConsumerStateRule.StateOf(ObjectsOutcome.None, true, push, model, changed); // JIT first
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            state = ConsumerStateRule.StateOf((ObjectsOutcome)(i % 4), i % 2 == 0, push, model, changed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(ObjectSyncState.Pending, state);
    }

    /// <summary>Every combination of objects' outcome, pending reason, last push and verdict (by name).</summary>
    private static IEnumerable<(ObjectsOutcome Objects, bool Pending, string Push, string Model)> Grid() =>
        from objects in AllOutcomes
        from pending in new[] { false, true }
        from push in Pushes.Keys
        from model in Models.Keys
        select (objects, pending, push, model);

    [Theory]
    [InlineData(new ObjectSyncState[0], ObjectsOutcome.None)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Synced }, ObjectsOutcome.Synced)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Pending }, ObjectsOutcome.Waiting)]
    [InlineData(new[] { ObjectSyncState.Unsupported }, ObjectsOutcome.Waiting)]
    [InlineData(new[] { ObjectSyncState.Pending, ObjectSyncState.Failed, ObjectSyncState.Synced }, ObjectsOutcome.Failed)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Unsupported, ObjectSyncState.Synced }, ObjectsOutcome.Waiting)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Failed }, ObjectsOutcome.Failed)]
    public void The_objects_fold_into_none_failed_synced_or_waiting(ObjectSyncState[] states, ObjectsOutcome expected)
    {
        Assert.Equal(expected, ConsumerStateRule.Outcome(states));
        Assert.Equal(expected, ConsumerStateRule.Outcome(states.Select(s => new ManagedObjectEntity { ApiVersion = "v1", Kind = "ServiceEntry", Name = "o", Source = "export/1", DesiredHash = "h", State = s }).ToList()));
    }

    [Theory]
    [InlineData("export/12", 12)]
    [InlineData("export/0", 0)]
    [InlineData("export/2147483647", 2147483647)]
    [InlineData("export/012", null)]
    [InlineData("export/", null)]
    [InlineData("export/-1", null)]
    [InlineData("export/+1", null)]
    [InlineData("export/ 1", null)]
    [InlineData("export/1x", null)]
    [InlineData("export/2147483648", null)]
    [InlineData("EXPORT/1", null)]
    [InlineData("trust", null)]
    [InlineData("dns", null)]
    public void A_source_names_an_export_only_as_SourceOf_writes_it(string source, int? expected)
    {
        Assert.Equal(expected, ExportStateFilter.ExportIdOf(source));
        if (expected is { } id)
        {
            Assert.Equal(source, ExportNames.SourceOf(id));
        }
    }
}
