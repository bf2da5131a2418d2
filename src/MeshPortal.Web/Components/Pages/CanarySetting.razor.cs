using MeshPortal.Core.Features.Probes;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public sealed partial class CanarySetting
{
    [Inject] public required CanaryService Canary { get; init; }
    [Inject] public required MeshPortal.Core.Features.Probes.SetCanaryCommand SetCanary { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private bool? enabled;
    private bool saving;
    private int switchKey;

    protected override async Task OnInitializedAsync() => enabled = await Canary.IsEnabledAsync(CancellationToken.None);

    private async Task SetAsync(bool value)
    {
        // Risky: either way this writes to every cluster (deploys or removes the canary and its exports); ask first.
        var question = value
            ? ("Turn the canary on?", "MeshPortal deploys a canary in every cluster and exports it to all others: every cluster gets new objects.", "Turn on")
            : ("Turn the canary off?", "MeshPortal removes the canary and its exports from every cluster; cluster-to-cluster health disappears from Topology and Reachability until an app is exported.", "Turn off");
        if (await Dialogs.ShowMessageBoxAsync(question.Item1, question.Item2, yesText: question.Item3, cancelText: "Cancel") != true)
        {
            switchKey++; // a fresh switch shows the unchanged value (the old one already flipped itself)
            return;
        }

        saving = true;
        try
        {
            var result = await SetCanary.RunAsync(Client.ActorOf((await AuthState).User), value, CancellationToken.None);
            if (!result.Succeeded)
            {
                switchKey++;
                Snackbar.Add(result.Error ?? "The canary setting was not changed.", Severity.Error);
                return;
            }

            enabled = result.Value;
            Snackbar.Add(value ? "Canary on: it is being deployed and exported to every cluster." : "Canary off: its objects and exports are being removed.", Severity.Success);
        }
        finally
        {
            saving = false;
        }
    }
}
