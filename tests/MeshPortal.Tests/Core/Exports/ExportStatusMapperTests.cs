using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// What <see cref="ExportStatusMapper.Map"/> adds to each cause of <see cref="ConsumerStateRule.Decide"/> (whose causes and states
/// <c>ConsumerStateRuleTests</c> checks): the message and the last attempt and sync times, from the recorded objects, the pending
/// reason, the last push and the pair's verdict.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportStatusMapperTests
{
    private const string Consumer = "cluster-3";
    private const string NoGateway = "Not pushed: cluster cluster-4 has no known ingress gateway address yet (run its connection check).";
    private static readonly DateTimeOffset T = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly PairVerdict MultiPrimary = new(PairSupport.Supported, "Multi-primary: the remote secrets make it visible.", Model: PairModel.MultiPrimary);
    private static readonly PairVerdict Unknown = new(PairSupport.Unknown, "Not pushed yet: MeshPortal has not read the mesh model.", "Run the connection check.");

    private static ManagedObjectEntity Object(ObjectSyncState state, string? message = null, DateTimeOffset? attempt = null, DateTimeOffset? synced = null) => new()
    {
        ClusterId = 3, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Name = $"o-{state}", Source = "export/1", DesiredHash = "h",
        State = state, Message = message, LastAttemptAt = attempt ?? T, LastSyncedAt = synced,
    };

    private static void AssertStatus(ConsumerStatus actual, ObjectSyncState state, string? message, DateTimeOffset? attempt, DateTimeOffset? synced) =>
        Assert.Equal(new ConsumerStatus(Consumer, state, message, attempt, synced), actual);

    [Fact]
    public void An_unsupported_pair_shows_its_reason_and_hint_and_no_times_whatever_was_recorded()
    {
        var objects = new[] { Object(ObjectSyncState.Failed, "denied") };
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, NoGateway, new LastPush(true, null, T), new PairVerdict(PairSupport.Unsupported, "cannot consume .global", "Upgrade it.")),
            ObjectSyncState.Unsupported, "cannot consume .global Upgrade it.", null, null);
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null, null, new PairVerdict(PairSupport.Unsupported, "cannot export")),
            ObjectSyncState.Unsupported, "cannot export", null, null);
    }

    [Fact]
    public void A_multi_primary_consumer_pushed_since_the_change_is_synced_at_the_push_with_the_models_reason()
    {
        var push = new LastPush(true, null, T.AddMinutes(-5), T);
        AssertStatus(ExportStatusMapper.Map(Consumer, [], NoGateway, push, MultiPrimary, T.AddMinutes(-10)),
            ObjectSyncState.Synced, MultiPrimary.Reason, T.AddMinutes(-5), T.AddMinutes(-5));
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null, push, MultiPrimary, T.AddMinutes(-5)), // pushed at the very change
            ObjectSyncState.Synced, MultiPrimary.Reason, T.AddMinutes(-5), T.AddMinutes(-5));
    }

    [Fact]
    public void A_multi_primary_consumer_changed_after_its_push_waits_for_the_first_push_not_for_the_exporters_gateway()
    {
        AssertStatus(ExportStatusMapper.Map(Consumer, [], NoGateway, new LastPush(true, null, T), MultiPrimary, T.AddHours(1)),
            ObjectSyncState.Pending, "Waiting for the first push to cluster-3.", null, null);
    }

    [Fact]
    public void A_multi_primary_consumer_with_objects_shows_them_and_the_models_reason_when_they_say_nothing()
    {
        var objects = new[] { Object(ObjectSyncState.Synced, attempt: T, synced: T.AddMinutes(-1)), Object(ObjectSyncState.Synced, attempt: T.AddMinutes(-2), synced: T.AddMinutes(-3)) };
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, null, new LastPush(true, null, T), MultiPrimary, T.AddHours(1)),
            ObjectSyncState.Synced, MultiPrimary.Reason, T, T.AddMinutes(-3));
    }

    [Fact]
    public void Unread_mesh_facts_show_their_reason_without_the_hint_and_no_times_whatever_was_recorded()
    {
        AssertStatus(ExportStatusMapper.Map(Consumer, [Object(ObjectSyncState.Failed, "denied")], null, new LastPush(false, "down", T), Unknown),
            ObjectSyncState.Pending, Unknown.Reason, null, null);
    }

    [Fact]
    public void An_exporter_without_a_gateway_address_shows_that_reason_before_unread_mesh_facts_or_a_failed_push()
    {
        AssertStatus(ExportStatusMapper.Map(Consumer, [], NoGateway, new LastPush(false, "down", T), Unknown), ObjectSyncState.Pending, NoGateway, null, null);
        AssertStatus(ExportStatusMapper.Map(Consumer, [], NoGateway, new LastPush(false, "down", T)), ObjectSyncState.Pending, NoGateway, null, null);
    }

    [Fact]
    public void A_failed_first_push_shows_its_error_and_when_it_ended()
    {
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null, new LastPush(false, "connection refused", T.AddMinutes(-1))),
            ObjectSyncState.Failed, "The last push to cluster-3 failed: connection refused", T.AddMinutes(-1), null);
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null, new LastPush(false, null, T), new PairVerdict(PairSupport.Supported, ".global")),
            ObjectSyncState.Failed, "The last push to cluster-3 failed: unknown error", T, null);
    }

    [Fact]
    public void Nothing_recorded_and_nothing_failed_waits_for_the_first_push()
    {
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null), ObjectSyncState.Pending, "Waiting for the first push to cluster-3.", null, null);
        AssertStatus(ExportStatusMapper.Map(Consumer, [], null, new LastPush(true, null, T), new PairVerdict(PairSupport.Supported, ".global")),
            ObjectSyncState.Pending, "Waiting for the first push to cluster-3.", null, null);
    }

    [Fact]
    public void A_failed_object_shows_its_message_its_last_sync_and_the_newest_attempt()
    {
        var objects = new[]
        {
            Object(ObjectSyncState.Synced, attempt: T.AddMinutes(1), synced: T.AddMinutes(1)),
            Object(ObjectSyncState.Failed, "admission webhook denied", T.AddMinutes(-1), T.AddHours(-1)),
            Object(ObjectSyncState.Failed, "second failure", T, null),
        };
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, null, new LastPush(true, null, T)),
            ObjectSyncState.Failed, "admission webhook denied", T.AddMinutes(1), T.AddHours(-1));
        AssertStatus(ExportStatusMapper.Map(Consumer, [Object(ObjectSyncState.Failed)], NoGateway),
            ObjectSyncState.Failed, "The last push failed.", T, null);
    }

    [Fact]
    public void Synced_objects_show_the_oldest_sync_and_the_newest_attempt_and_a_message_only_when_one_has_one()
    {
        var objects = new[] { Object(ObjectSyncState.Synced, attempt: T.AddMinutes(-2), synced: T.AddMinutes(-2)), Object(ObjectSyncState.Synced, attempt: T, synced: T) };
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, null, new LastPush(false, "down", T)), ObjectSyncState.Synced, null, T, T.AddMinutes(-2));
        objects[1].Message = "insecure: no mTLS to the gateway";
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, NoGateway), ObjectSyncState.Synced, "insecure: no mTLS to the gateway", T, T.AddMinutes(-2));
    }

    [Fact]
    public void Objects_not_all_synced_wait_for_the_next_push_and_have_no_last_sync_while_one_never_synced()
    {
        var objects = new[] { Object(ObjectSyncState.Synced, attempt: T.AddMinutes(-2), synced: T.AddMinutes(-2)), Object(ObjectSyncState.Pending, attempt: T) };
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, null, new LastPush(true, null, T)), ObjectSyncState.Pending, "Waiting for the next push to cluster-3.", T, null);
        objects[1].Message = "Waiting for the CRD";
        objects[1].LastSyncedAt = T.AddMinutes(-5);
        AssertStatus(ExportStatusMapper.Map(Consumer, objects, null), ObjectSyncState.Pending, "Waiting for the CRD", T, T.AddMinutes(-5));
    }
}
