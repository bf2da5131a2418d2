using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.ViewModels;
using MudBlazor;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>The pure decisions behind the paged Exports, Reachability and Audit pages (issue 20) and the Exports probe column (issue 16).</summary>
[Trait("Speed", "Fast")]
public sealed class ListWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(null, 2000, 1, 0, 1, 50, "Showing 1–50 of 2,000 exports")]
    [InlineData(2, 2000, 2, 50, 51, 100, "Showing 51–100 of 2,000 exports")]
    [InlineData(40, 2000, 40, 1950, 1951, 2000, "Showing 1,951–2,000 of 2,000 exports")]
    [InlineData(41, 2000, 40, 1950, 1951, 2000, "Showing 1,951–2,000 of 2,000 exports")] // past the end: the last page
    [InlineData(-3, 120, 1, 0, 1, 50, "Showing 1–50 of 120 exports")]
    [InlineData(3, 120, 3, 100, 101, 120, "Showing 101–120 of 120 exports")]
    [InlineData(1, 3, 1, 0, 1, 3, "Showing 3 exports")]
    [InlineData(1, 1, 1, 0, 1, 1, "Showing 1 export")]
    [InlineData(5, 0, 1, 0, 0, 0, "No exports")]
    public void A_window_is_clamped_to_the_pages_that_exist_and_says_what_it_shows(int? page, int total, int expectedPage, int offset, int first, int last, string label)
    {
        var w = PageWindow.Of(page, 50, total);
        Assert.Equal((expectedPage, offset, first, last, label), (w.Page, w.Offset, w.First, w.Last, w.Label("export", "exports")));
        Assert.Equal(w.Page > 1, w.HasPrevious);
        Assert.Equal(w.Last < total, w.HasNext);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData(0, 1)]
    [InlineData(10_000, PageWindow.MaxSize)]
    public void The_page_size_stays_within_bounds(int? size, int expected) => Assert.Equal(expected, PageWindow.Of(1, size, 10).Size);

    private static ResultHeader R(long id, string source, string target, string host, ProbeStatus status, int ageSeconds = 10, int export = 1) =>
        new(id, 1, source, 2, target, export, host, 8000, status, Now.AddSeconds(-ageSeconds));

    private static readonly ResultHeader[] Results =
    [
        R(1, "cluster-1", "cluster-2", "a.ns.global", ProbeStatus.Ok),
        R(2, "cluster-1", "cluster-2", "b.ns.global", ProbeStatus.Dns),
        R(3, "cluster-2", "cluster-1", "c.ns.global", ProbeStatus.Ok, ageSeconds: 600),
        R(4, "cluster-3", "cluster-1", "c.ns.global", ProbeStatus.Unsupported, export: 2),
        R(5, "cluster-3", "cluster-2", "a.ns.global", ProbeStatus.Tls, ageSeconds: 600),
        R(6, "cluster-2", "cluster-3", "d.ns.global", ProbeStatus.Dns, export: 2),
    ];

    [Fact]
    public void Results_come_worst_first_then_by_consumer_and_host()
    {
        var (page, window, ok) = ResultWindow.Select(Results, new ResultWindowQuery(), Now, StaleAfter);
        // Dns (2, 6) is more severe than Tls (5), then Unsupported, then Ok; within a class by consumer cluster, then host.
        Assert.Equal([2L, 6, 5, 4, 1, 3], page.Select(r => r.Id));
        Assert.Equal(6, window.Total);
        Assert.Equal(1, ok); // the other OK is stale
    }

    [Theory]
    [InlineData("failing", new long[] { 2, 6 })] // fresh failures; the stale Tls and Unsupported are not "failing"
    [InlineData("stale", new long[] { 5, 3 })]
    [InlineData("FAILING ", new long[] { 2, 6 })]
    [InlineData("cluster-3", new long[] { 6, 5, 4 })] // either end
    [InlineData("b.ns", new long[] { 2 })]
    [InlineData("dns", new long[] { 2, 6 })]
    [InlineData("nothing-like-this", new long[0])]
    public void The_text_filter_keeps_the_pages_keywords(string filter, long[] expected) =>
        Assert.Equal(expected, ResultWindow.Select(Results, new ResultWindowQuery(Filter: filter), Now, StaleAfter).Page.Select(r => r.Id));

    [Fact]
    public void Cluster_and_export_filters_combine_with_the_text_and_the_page_cuts_last()
    {
        Assert.Equal([6L, 4], ResultWindow.Select(Results, new ResultWindowQuery(ExportId: 2), Now, StaleAfter).Page.Select(r => r.Id));
        Assert.Equal([5L, 1], ResultWindow.Select(Results, new ResultWindowQuery(Cluster: "cluster-2", Filter: "a.ns", ExportId: 1), Now, StaleAfter).Page.Select(r => r.Id));
        var (page, window, _) = ResultWindow.Select(Results, new ResultWindowQuery(Page: 2, Size: 4), Now, StaleAfter);
        Assert.Equal([1L, 3], page.Select(r => r.Id));
        Assert.Equal("Showing 5–6 of 6 links", window.Label("link", "links"));
    }

    [Fact]
    public void An_exports_links_roll_up_by_the_reachability_pages_rules()
    {
        var health = ExportLinkHealth.Of(
        [
            (ProbeStatus.Ok, Now.AddSeconds(-5)), (ProbeStatus.Ok, Now.AddSeconds(-5)), (ProbeStatus.Dns, Now.AddSeconds(-5)),
            (ProbeStatus.Ok, Now.AddMinutes(-10)), (ProbeStatus.Unsupported, Now.AddSeconds(-5)), (ProbeStatus.Unknown, Now.AddSeconds(-5)),
        ], Now, StaleAfter);
        Assert.Equal(new ExportLinkHealth(Ok: 2, Failing: 1, Stale: 1, Other: 2), health);
        Assert.Equal(6, health.Total);
    }

    [Fact]
    public void The_probe_column_links_each_part_to_the_filtered_reachability_page()
    {
        var vm = ExportHealthViewModel.Of(7, new ExportLinkHealth(Ok: 47, Failing: 2, Stale: 0, Other: 0));
        Assert.Equal("failing", vm.State);
        Assert.Equal("47 of 49 links OK, 2 failing", vm.Summary);
        Assert.Equal([("2 failing", "/reachability?export=7&filter=failing"), ("47 OK", "/reachability?export=7")], vm.Parts.Select(p => (p.Text, p.Href)));
        Assert.Equal(["failing", "ok"], vm.Parts.Select(p => p.Kind)); // the kind is the part's class: its colour

        Assert.Equal("ok", ExportHealthViewModel.Of(7, new ExportLinkHealth(3, 0, 0, 0)).State);
        Assert.Equal("stale", ExportHealthViewModel.Of(7, new ExportLinkHealth(0, 0, 3, 0)).State);
        Assert.Equal("partial", ExportHealthViewModel.Of(7, new ExportLinkHealth(2, 0, 1, 0)).State);
        var none = ExportHealthViewModel.Of(7, null);
        Assert.Equal(("not probed yet", "/reachability?export=7", 0), (none.Summary, none.Href, none.Parts.Count));
    }

    private static ConsumerChipViewModel Chip(string cluster, string state) => new(cluster, state, "");

    [Fact]
    public void Few_consumers_show_every_chip_many_show_counts_and_the_ones_that_need_a_look()
    {
        var few = ConsumerSummaryViewModel.Of([Chip("c1", "Synced"), Chip("c2", "Failed")]);
        Assert.Equal((2, 0, 0), (few.Chips.Count, few.Counts.Count, few.Hidden));

        var many = ConsumerSummaryViewModel.Of([.. Enumerable.Range(1, 47).Select(i => Chip($"c{i:D2}", "Synced")), Chip("c90", "Failed"), Chip("c91", "Pending")]);
        Assert.Equal(["1 failed", "1 pending", "47 synced"], many.Counts.Select(c => c.Text));
        Assert.Equal(["c90", "c91"], many.Chips.Select(c => c.Cluster));
        Assert.Equal(47, many.Hidden);

        var allSynced = ConsumerSummaryViewModel.Of([.. Enumerable.Range(1, 49).Select(i => Chip($"c{i:D2}", "Synced"))]);
        Assert.Equal((0, 49), (allSynced.Chips.Count, allSynced.Hidden));
        Assert.Equal(["49 synced"], allSynced.Counts.Select(c => c.Text));
    }
}
