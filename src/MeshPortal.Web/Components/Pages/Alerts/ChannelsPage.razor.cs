using MeshPortal.Core.Features.Alerts;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.AlertParts;

public partial class ChannelsPage
{
    [Inject] public required AlertChannels Channels { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private List<ChannelView>? channels;
    private ChannelForm? form;
    private int? historyOf;

    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task ReloadAsync() => channels = await Channels.ListAsync(CancellationToken.None);

    private async Task TestAsync(ChannelView c)
    {
        var outcome = await Channels.SendTestAsync(c.Id, Client.For((await AuthState).User), CancellationToken.None);
        if (outcome is { Delivered: true })
        {
            Snackbar.Add($"Test notification delivered to '{c.Name}' (HTTP {outcome.StatusCode}).", Severity.Success);
        }
        else
        {
            Snackbar.Add($"Test notification to '{c.Name}' failed: {outcome?.Error}", Severity.Error);
        }

        historyOf = c.Id;
    }

    private async Task DeleteAsync(ChannelView c)
    {
        await Channels.DeleteAsync(c.Id, Client.For((await AuthState).User), CancellationToken.None);
        Snackbar.Add($"Channel '{c.Name}' deleted.", Severity.Info);
        await ReloadAsync();
    }
}
