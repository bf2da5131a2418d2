using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Tests.Core.Audit;

/// <summary>The audit filter as pure LINQ over objects: each criterion narrows, the order is newest first.</summary>
[Trait("Speed", "Fast")]
public sealed class AuditFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AuditEntryEntity[] Entries =
    [
        Entry(1, 0, "alice", "export.created", "export", "httpbin.bar.global", "success", token: "ci"),
        Entry(2, 1, "alice", "export.deleted", "export", "httpbin.bar.global", "success"),
        Entry(3, 2, "bob", "cluster.registered", "cluster", "east", "success"),
        Entry(4, 3, "bob", "trust.root_created", "trust", "root", "failed"),
        Entry(5, 4, "anonymous", "token.created", "token", "x", "denied"),
    ];

    private static AuditEntryEntity Entry(long id, int day, string actor, string action, string kind, string target, string outcome, string? token = null) => new()
    {
        Id = id, At = T0.AddDays(day), Actor = actor, Action = action, TargetKind = kind, Target = target, Outcome = outcome, TokenName = token,
        Summary = $"{action} {target}", RemoteIp = "192.0.2." + id,
    };

    private static long[] Ids(AuditFilter filter) => [.. filter.Apply(Entries.AsQueryable()).Select(e => e.Id)];

    [Fact]
    public void No_filter_returns_everything_newest_first() => Assert.Equal([5, 4, 3, 2, 1], Ids(new AuditFilter()));

    [Fact]
    public void Time_range_is_from_inclusive_to_exclusive() =>
        Assert.Equal([3, 2], Ids(new AuditFilter(From: T0.AddDays(1), To: T0.AddDays(3))));

    [Fact]
    public void Actor_matches_the_user_or_the_token_name()
    {
        Assert.Equal([4, 3], Ids(new AuditFilter(Actor: "bob")));
        Assert.Equal([1], Ids(new AuditFilter(Actor: " ci ")));
    }

    [Fact]
    public void Action_matches_a_prefix_or_exactly()
    {
        Assert.Equal([2, 1], Ids(new AuditFilter(Action: "export")));
        Assert.Equal([1], Ids(new AuditFilter(Action: "export.created")));
        Assert.Empty(Ids(new AuditFilter(Action: "expo")));
    }

    [Fact]
    public void Kind_outcome_and_text_narrow_together()
    {
        Assert.Equal([3], Ids(new AuditFilter(TargetKind: "cluster")));
        Assert.Equal([5], Ids(new AuditFilter(Outcome: "denied")));
        Assert.Equal([2, 1], Ids(new AuditFilter(Text: "httpbin")));
        Assert.Equal([3], Ids(new AuditFilter(Text: "192.0.2.3")));
        Assert.Equal([1], Ids(new AuditFilter(TargetKind: "export", Text: "created")));
    }

    [Theory]
    [InlineData(null, AuditFilter.DefaultPageSize)]
    [InlineData(0, 1)]
    [InlineData(10, 10)]
    [InlineData(100_000, AuditFilter.MaxPageSize)]
    public void Page_size_is_clamped(int? requested, int expected) => Assert.Equal(expected, AuditFilter.ClampPageSize(requested));
}
