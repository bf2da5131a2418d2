using MeshPortal.Core.Features.Alerts;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.AlertParts;

public partial class ChannelForm
{
    [Inject] public required AlertChannels Channels { get; init; }
    [Inject] public required MeshPortal.Core.Features.Teams.TeamService TeamsService { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }
    [Parameter] public EventCallback Saved { get; set; }

    private ChannelView? editing;
    private string? name, url, secret, error;
    private string team = "";
    private AlertChannelKind kind = AlertChannelKind.Webhook;
    private AlertSeverity minSeverity = AlertSeverity.Info;
    private bool enabled = true;
    private List<string> teams = [];

    private string UrlLabel => kind == AlertChannelKind.Alertmanager ? "Alertmanager URL" : "Webhook URL";

    private string UrlHelp => kind switch
    {
        AlertChannelKind.Alertmanager => "Base URL, e.g. http://alertmanager:9093 (posts to /api/v2/alerts).",
        AlertChannelKind.Slack => "The incoming webhook URL (Slack, Mattermost, ...).",
        _ => "Receives the signed JSON body.",
    };

    protected override async Task OnInitializedAsync() =>
        teams = [.. (await TeamsService.ListAsync(CancellationToken.None)).Select(t => t.Name).Order(StringComparer.Ordinal)];

    public void Edit(ChannelView c)
    {
        editing = c;
        (name, kind, team, minSeverity, enabled) = (c.Name, c.Kind, c.Team ?? "", c.MinSeverity, c.Enabled);
        url = secret = error = null;
        StateHasChanged();
    }

    private void Clear()
    {
        editing = null;
        name = url = secret = error = null;
        (kind, team, minSeverity, enabled) = (AlertChannelKind.Webhook, "", AlertSeverity.Info, true);
    }

    private async Task SaveAsync()
    {
        var draft = new ChannelDraft(name, kind, url, secret, team, minSeverity, enabled);
        var who = Client.For((await AuthState).User);
        var result = editing is null
            ? await Channels.CreateAsync(draft, who, CancellationToken.None)
            : await Channels.UpdateAsync(editing.Id, draft, who, CancellationToken.None);
        error = result.NotFound ? "The channel was deleted meanwhile." : result.Error;
        if (result.Succeeded)
        {
            Snackbar.Add($"Channel '{result.Channel!.Name}' saved.", Severity.Success);
            Clear();
            await Saved.InvokeAsync();
        }
    }
}
