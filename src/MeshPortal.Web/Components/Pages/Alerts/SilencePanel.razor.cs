using MeshPortal.Core.Features.Alerts;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.AlertParts;

public partial class SilencePanel
{
    [Inject] public required AlertQueries Queries { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private List<SilenceView>? silences;
    private string? rule, cluster, ns, service, team, reason, error;
    private int minutes = 240;

    protected override async Task OnInitializedAsync() => silences = await Queries.SilencesAsync(false, CancellationToken.None);

    /// <summary>Fills the form from an alert's rule and labels (the "Silence…" button of a row).</summary>
    public void Prefill(AlertView alert)
    {
        rule = alert.Rule;
        cluster = alert.Labels.GetValueOrDefault(AlertLabels.Cluster) ?? alert.Labels.GetValueOrDefault(AlertLabels.Source);
        ns = alert.Labels.GetValueOrDefault(AlertLabels.Namespace);
        service = alert.Labels.GetValueOrDefault(AlertLabels.Service);
        team = null;
        error = null;
        StateHasChanged();
    }

    private async Task CreateAsync()
    {
        var result = await Queries.CreateSilenceAsync(new SilenceDraft(rule, cluster, ns, service, team, reason, null, minutes), Client.For((await AuthState).User), CancellationToken.None);
        error = result.Error;
        if (result.Silence is not null)
        {
            Snackbar.Add($"Silenced until {result.Silence.EndsAt.ToLocalTime():yyyy-MM-dd HH:mm}.", Severity.Success);
            rule = cluster = ns = service = team = reason = null;
            silences = await Queries.SilencesAsync(false, CancellationToken.None);
        }
    }

    private async Task EndAsync(int id)
    {
        await Queries.EndSilenceAsync(id, Client.For((await AuthState).User), CancellationToken.None);
        Snackbar.Add("Silence ended; alerts that still hold are sent now.", Severity.Info);
        silences = await Queries.SilencesAsync(false, CancellationToken.None);
    }

    private static string Matchers(SilenceView s) => string.Join("  ", new[] { ("rule", s.Rule), ("cluster", s.Cluster), ("namespace", s.Namespace), ("service", s.Service), ("team", s.Team) }
        .Where(m => m.Item2 is not null).Select(m => $"{m.Item1}={m.Item2}"));
}
