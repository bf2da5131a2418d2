using MeshPortal.Core.Probes;
using MeshPortal.Core.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

public partial class Reachability
{
    private IReadOnlyList<ProbeResultView>? all;
    private IReadOnlyList<ReachabilityRow>? rows;
    private string? filter;
    private string? error;
    private bool running;
    private DateTimeOffset? started;
    private int fresh;
    private TimeSpan staleAfter;

    /// <summary>The initial filter (?filter=failing, ?filter=stale or any text); the Overview's counters link here.</summary>
    [SupplyParameterFromQuery(Name = "filter")] public string? InitialFilter { get; set; }

    protected override void OnParametersSet()
    {
        filter ??= InitialFilter;
        Apply();
    }

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required ProbeScheduler Scheduler { get; init; }
    [Inject] public required MeshPortal.Web.Auth.CircuitClient Client { get; init; }
    [Inject] public required MeshPortal.Core.Audit.IAuditLog Audit { get; init; }
    [CascadingParameter] public required Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthState { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    protected override async Task ReloadAsync()
    {
        staleAfter = Queries.StaleAfter;
        all = await Queries.LatestResultsAsync(CancellationToken.None);
        if (running && started is { } s)
        {
            fresh = all.Count(r => r.ObservedAt >= s);
            if (ProbePresentation.CycleDone(all, s) || Clock.GetUtcNow() - s > TimeSpan.FromMinutes(2))
            {
                running = false;
            }
        }

        Apply();
    }

    private void Apply() => rows = all is null ? null : ProbePresentation.Rows(all, Clock.GetUtcNow(), staleAfter, filter);

    private async Task ProbeNowAsync()
    {
        error = null;
        try
        {
            started = Clock.GetUtcNow().AddSeconds(-1);
            Scheduler.RunNow();
            await Audit.RecordAsync(Client.For((await AuthState).User),
                new MeshPortal.Core.Audit.AuditEvent("probe.requested", "probe", "all clusters", "Manual probe cycle queued"), CancellationToken.None);
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
