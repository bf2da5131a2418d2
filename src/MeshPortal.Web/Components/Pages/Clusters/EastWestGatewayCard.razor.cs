using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Clusters;

public partial class EastWestGatewayCard
{
    [Inject] public required EastWestGatewayService Gateways { get; init; }
    [Inject] public required IAuthorizationService Authorization { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [Parameter, EditorRequired] public required string ClusterName { get; set; }
    [Parameter] public string? Network { get; set; }
    [Parameter] public string? MeshFactsJson { get; set; }
    [Parameter] public bool Deployed { get; set; }
    [Parameter] public EventCallback Changed { get; set; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }
    [Inject] public required CircuitClient Client { get; init; }

    private MeshFacts? facts;
    private bool busy;

    protected override void OnParametersSet() => facts = MeshPortal.Core.Features.MeshModel.MeshFactsJson.Deserialize(MeshFactsJson);

    private string State => EastWestGatewayViewModel.State(Deployed, facts?.EastWest, Network);

    private async Task SetAsync(bool deploy)
    {
        var user = (await AuthState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.ClustersManage)).Succeeded)
        {
            Snackbar.Add("Only platform admins deploy east-west gateways.", Severity.Error);
            return;
        }

        // Removing it cuts every link into this cluster from other networks: ask first (issue 16's risky actions).
        if (!deploy && await Dialogs.ShowMessageBoxAsync($"Remove MeshPortal's east-west gateway from {ClusterName}?",
                $"MeshPortal deletes the gateway it deployed and its cross-network Gateway. Calls from clusters on other networks into {ClusterName}" +
                (string.IsNullOrEmpty(Network) ? "" : $" (network {Network})") + " fail until another east-west gateway serves it.",
                yesText: "Remove gateway", cancelText: "Cancel") != true)
        {
            return;
        }

        busy = true;
        try
        {
            var result = await Gateways.SetAsync(ClusterName, deploy, Client.For(user), CancellationToken.None);
            Snackbar.Add(result.Error ?? (deploy ? $"The east-west gateway of {ClusterName} is being deployed." : $"MeshPortal's east-west gateway of {ClusterName} is being removed."),
                result.Error is null ? Severity.Success : Severity.Error);
            await Changed.InvokeAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
