using MeshPortal.Core.Features.Exports;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ServiceScopeSetting
{
    [Inject] public required ServiceScopeService Scope { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private bool? enabled;
    private bool saving;
    private int switchKey;

    protected override async Task OnInitializedAsync() => enabled = await Scope.IsEnabledAsync(CancellationToken.None);

    private async Task SetAsync(bool value)
    {
        var question = value
            ? ("Keep services in their cluster unless exported?", "MeshPortal writes serviceSettings into the mesh config of every multi-primary cluster: services no export names stop answering from other clusters.", "Turn on")
            : ("Make every service visible across the mesh?", "MeshPortal removes the serviceSettings it wrote: every service is reachable from every cluster of the mesh again.", "Turn off");
        if (await Dialogs.ShowMessageBoxAsync(question.Item1, question.Item2, yesText: question.Item3, cancelText: "Cancel") != true)
        {
            switchKey++;
            return;
        }

        saving = true;
        try
        {
            await Scope.SetEnabledAsync(value, Client.For((await AuthState).User), CancellationToken.None);
            enabled = await Scope.IsEnabledAsync(CancellationToken.None);
            Snackbar.Add(value ? "Only exported services leave their cluster: the mesh configs are being updated." : "Every service is visible across the mesh again: MeshPortal's serviceSettings are being removed.", Severity.Success);
        }
        finally
        {
            saving = false;
        }
    }
}
