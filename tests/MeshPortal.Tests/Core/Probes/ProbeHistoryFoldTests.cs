using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Tests.Core.Probes;

/// <summary>The store-on-change decisions: a raw row only when the outcome changes, every result folded into its hour.</summary>
[Trait("Speed", "Fast")]
public sealed class ProbeHistoryFoldTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 30, 15, TimeSpan.Zero);
    private static readonly ProbeTarget Target = new(7, 3, "s1.ns.global", 8000);

    [Theory]
    [InlineData(null, "Ok", true)]
    [InlineData("Ok", "Ok", false)]
    [InlineData("Dns", "Dns", false)]
    [InlineData("Ok", "Dns", true)]
    [InlineData("Dns", "Connect", true)]
    [InlineData("Dns", "Ok", true)]
    public void A_raw_row_is_written_only_when_the_status_changes(string? previous, string status, bool change) =>
        Assert.Equal(change, ProbeHistoryFold.IsChange(previous, status));

    [Fact]
    public void An_ok_result_adds_its_latency_to_its_hour_and_a_failure_adds_none()
    {
        var ok = ProbeHistoryFold.Delta(2, new ProbeRecord(Target, new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null), 200, 12.5, 0, Now));
        Assert.Equal(new RollupDelta(2, 3, "s1.ns.global", 8000, new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), 1, 1, 12.5, 12.5, "Ok", Now, Now), ok);

        // A failure with a time measured (curl timed the attempt) still carries no latency: latency is measured on OK answers.
        var dns = ProbeHistoryFold.Delta(2, new ProbeRecord(Target, new ProbeClassification(ProbeStatus.Dns, "curl: (6)", null), null, 3.1, 6, Now));
        Assert.Equal((1, 0, 0.0, 0.0, "Dns"), (dns.Count, dns.OkCount, dns.LatencySumMs, dns.LatencyMaxMs, dns.WorstStatus));
    }

    [Fact]
    public void Folding_results_in_memory_counts_them_keeps_the_worst_class_and_the_span()
    {
        var rollup = new ProbeRollupEntity { Host = "h", WorstStatus = "Ok" };
        ProbeHistoryFold.Add(rollup, "Ok", 10, Now);
        ProbeHistoryFold.Add(rollup, "Connect", null, Now.AddMinutes(-1));
        ProbeHistoryFold.Add(rollup, "Dns", null, Now.AddMinutes(2));
        ProbeHistoryFold.Add(rollup, "Ok", 30, Now.AddMinutes(1));
        ProbeHistoryFold.Add(rollup, "Unknown", null, Now.AddMinutes(3));

        Assert.Equal((5, 2, 40.0, 30.0), (rollup.Count, rollup.OkCount, rollup.LatencySumMs, rollup.LatencyMaxMs));
        Assert.Equal(ProbeStatuses.Severity(ProbeStatus.Dns) > ProbeStatuses.Severity(ProbeStatus.Connect) ? "Dns" : "Connect", rollup.WorstStatus);
        Assert.Equal((Now.AddMinutes(-1), Now.AddMinutes(3)), (rollup.FirstAt!.Value, rollup.LastAt!.Value));
    }

    [Fact]
    public void The_upsert_has_one_placeholder_per_column_of_every_row_and_ranks_every_status()
    {
        var sql = ProbeHistoryFold.UpsertSql(3);
        var placeholders = Regex.Matches(sql, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 3 * ProbeHistoryFold.ColumnsPerRow), placeholders);
        Assert.All(Enum.GetValues<ProbeStatus>(), s => Assert.Contains($"'{s}' THEN {ProbeStatuses.Severity(s)}", sql, StringComparison.Ordinal));
        Assert.Contains("ON CONFLICT (\"SourceClusterId\", \"Host\", \"Port\", \"HourStart\") DO UPDATE", sql, StringComparison.Ordinal);

        var delta = ProbeHistoryFold.Delta(2, new ProbeRecord(Target, new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null), 200, 1, 0, Now));
        Assert.Equal(3 * ProbeHistoryFold.ColumnsPerRow, ProbeHistoryFold.Parameters([delta, delta, delta]).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbeHistoryFold.UpsertSql(0));
    }
}
