using System.Globalization;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>
/// Latest probe results, one page at a time, worst first. The filter (?filter=failing|stale|text), a cluster at either end (?cluster=, the alerts
/// link here), one export's links (?export=, the Exports page's probe column) and the page (?page=) live in the URL; the server filters, counts
/// and cuts, and reads messages and hints for the page's rows only. Probe and cluster events reload the visible page (coalesced).
/// </summary>
public partial class Reachability
{
    private ResultWindowPage? result;
    private IReadOnlyList<ReachabilityRow> rows = [];
    private string? filter;
    private string? error;
    private bool running;
    private DateTimeOffset? started;
    private int fresh;
    private TimeSpan staleAfter;
    private string? loadedKey;
    private string? exportHost;

    /// <summary>The filter (?filter=failing, ?filter=stale or any text); the Overview's counters link here.</summary>
    [SupplyParameterFromQuery(Name = "filter")] public string? InitialFilter { get; set; }

    /// <summary>?cluster=: links from or to this cluster (the alerts link here).</summary>
    [SupplyParameterFromQuery(Name = "cluster")] public string? ClusterFilter { get; set; }

    /// <summary>?export=: the links of one export (the Exports page's probe column links here).</summary>
    [SupplyParameterFromQuery(Name = "export")] public int? ExportFilter { get; set; }

    [SupplyParameterFromQuery(Name = "page")] public int? PageNumber { get; set; }

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportQueries Exports { get; init; }
    [Inject] public required MeshPortal.Core.Features.Probes.RequestProbeCommand ProbeCommand { get; init; }
    [Inject] public required NavigationManager Nav { get; init; }
    [Inject] public required MeshPortal.Web.Auth.CircuitClient Client { get; init; }
    [CascadingParameter] public required Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthState { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private string Key => $"{InitialFilter}\n{ClusterFilter}\n{ExportFilter}\n{PageNumber}";

    private bool Narrowed => !string.IsNullOrWhiteSpace(InitialFilter) || !string.IsNullOrWhiteSpace(ClusterFilter) || ExportFilter is not null;

    /// <summary>The filters in words: "Links of export svc-0001.team1.global, from or to cluster-7, failing now."</summary>
    private string ScopeText
    {
        get
        {
            var parts = new List<string>();
            if (ExportFilter is { } id) { parts.Add($"of export {exportHost ?? "#" + id.ToString(CultureInfo.InvariantCulture)}"); }
            if (!string.IsNullOrWhiteSpace(ClusterFilter)) { parts.Add($"from or to {ClusterFilter.Trim()}"); }
            var text = InitialFilter?.Trim();
            if (!string.IsNullOrEmpty(text))
            {
                parts.Add(text.ToLowerInvariant() switch
                {
                    "failing" => "failing now (a fresh failure)",
                    "stale" => "with a stale result",
                    _ => $"matching “{text}”",
                });
            }

            return parts.Count == 0 ? "" : $"Links {string.Join(", ", parts)}.";
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        filter = InitialFilter;
        if (loadedKey is not null && loadedKey != Key)
        {
            await ReloadAsync();
        }
    }

    protected override async Task ReloadAsync()
    {
        loadedKey = Key;
        staleAfter = Queries.StaleAfter;
        exportHost = ExportFilter is { } id ? (await Exports.GetAsync(id, CancellationToken.None))?.Host : null;
        result = await Queries.WindowAsync(new ResultWindowQuery(InitialFilter, ClusterFilter, ExportFilter, PageNumber, PageWindow.DefaultSize, running ? started : null),
            CancellationToken.None);
        if (running && started is { } s)
        {
            fresh = result.FreshSince;
            if (result.AllFreshSince || Clock.GetUtcNow() - s > TimeSpan.FromMinutes(2))
            {
                running = false;
            }
        }

        // The page is already filtered and ordered on the server; this only maps it to rows (the filter would keep every row).
        rows = ProbePresentation.Rows(result.Items, Clock.GetUtcNow(), staleAfter, null);
    }

    private string PageHref(int number) => Nav.GetUriWithQueryParameter("page", number == 1 ? null : number);

    private void FilterChanged(string? value)
    {
        filter = value;
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["filter"] = string.IsNullOrWhiteSpace(value) ? null : value.Trim(), ["page"] = null }));
    }

    private async Task ProbeNowAsync()
    {
        error = null;
        try
        {
            started = Clock.GetUtcNow().AddSeconds(-1);
            var result = await ProbeCommand.AllAsync(Client.ActorOf((await AuthState).User), CancellationToken.None);
            if (!result.Succeeded)
            {
                error = result.Error;
                return;
            }

            running = true;
            fresh = 0;
            await ReloadAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Hangfire.BackgroundJobClientException)
        {
            running = false;
            error = $"The probe cycle could not be queued: {ex.Message}";
        }
    }
}
