using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The state filter decides each consumer's state with <see cref="ConsumerStateRule"/> from what decides it alone; the views
/// use <see cref="ExportStatusMapper.Map"/>. They must agree for every combination of objects, pending reason, last push, pair
/// verdict and export change time.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ConsumerStateRuleTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly ObjectSyncState[][] ObjectSets =
    [
        [], [ObjectSyncState.Synced], [ObjectSyncState.Synced, ObjectSyncState.Synced], [ObjectSyncState.Failed], [ObjectSyncState.Pending],
        [ObjectSyncState.Synced, ObjectSyncState.Pending], [ObjectSyncState.Pending, ObjectSyncState.Failed], [ObjectSyncState.Synced, ObjectSyncState.Failed],
        [ObjectSyncState.Unsupported], [ObjectSyncState.Synced, ObjectSyncState.Unsupported],
    ];

    private static readonly LastPush?[] Pushes =
    [
        null, new LastPush(true, null, T), new LastPush(true, null, T.AddHours(-2)), new LastPush(false, "connection refused", T), new LastPush(false, null, T.AddHours(-2)),
    ];

    private static readonly PairVerdict?[] Models =
    [
        null,
        new PairVerdict(PairSupport.Supported, ".global"),
        new PairVerdict(PairSupport.Supported, ".global, insecure", "hint", Insecure: true),
        new PairVerdict(PairSupport.Unsupported, "cannot consume .global", "upgrade"),
        new PairVerdict(PairSupport.Unsupported, "cannot export"),
        new PairVerdict(PairSupport.Unknown, "mesh model not read", "run the check"),
        new PairVerdict(PairSupport.Supported, "Multi-primary", Model: PairModel.MultiPrimary),
    ];

    private static readonly DateTimeOffset?[] Changes = [null, T.AddHours(-1), T.AddHours(1)];

    [Fact]
    public void The_rule_gives_the_state_the_mapper_gives_for_every_combination()
    {
        var checkedCount = 0;
        foreach (var states in ObjectSets)
        {
            var objects = states.Select((s, i) => new ManagedObjectEntity
            {
                ClusterId = 3, ApiVersion = "v1", Kind = "ServiceEntry", Name = $"o{i}", Source = "export/1", DesiredHash = "h", State = s,
                Message = s == ObjectSyncState.Failed ? "denied" : null, LastAttemptAt = T, LastSyncedAt = s == ObjectSyncState.Synced ? T : null,
            }).ToList();
            foreach (var pending in new[] { null, "Not pushed: no gateway address" })
            {
                foreach (var push in Pushes)
                {
                    foreach (var model in Models)
                    {
                        foreach (var changed in Changes)
                        {
                            var mapped = ExportStatusMapper.Map("cluster-3", objects, pending, push, model, changed).State;
                            var ruled = ConsumerStateRule.StateOf(ConsumerStateRule.Outcome(states), pending is not null, push, model, changed);
                            Assert.True(mapped == ruled,
                                $"objects [{string.Join(", ", states)}], pending {pending is not null}, push {push}, model {model?.Support}/{model?.Model}, changed {changed}: Map {mapped}, rule {ruled}");
                            checkedCount++;
                        }
                    }
                }
            }
        }

        Assert.Equal(ObjectSets.Length * 2 * Pushes.Length * Models.Length * Changes.Length, checkedCount);
    }

    [Theory]
    [InlineData(new ObjectSyncState[0], ObjectsOutcome.None)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Synced }, ObjectsOutcome.Synced)]
    [InlineData(new[] { ObjectSyncState.Synced, ObjectSyncState.Pending }, ObjectsOutcome.Waiting)]
    [InlineData(new[] { ObjectSyncState.Unsupported }, ObjectsOutcome.Waiting)]
    [InlineData(new[] { ObjectSyncState.Pending, ObjectSyncState.Failed, ObjectSyncState.Synced }, ObjectsOutcome.Failed)]
    public void The_objects_fold_into_none_failed_synced_or_waiting(ObjectSyncState[] states, ObjectsOutcome expected) =>
        Assert.Equal(expected, ConsumerStateRule.Outcome(states));

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
