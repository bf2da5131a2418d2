using MeshPortal.Core.Features.Tokens;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MeshPortal.Web.Components.Shared;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public sealed partial class ScreenTokens
{
    [Inject] public required ScreenTokenStore Store { get; init; }
    [Inject] public required MeshPortal.Core.Features.Tokens.PersonalTokens Tokens { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private List<MeshPortal.Core.Features.Tokens.ScreenTokenView>? tokens;
    private string? name;
    private int days;
    private string? link;
    private string? error;

    protected override async Task OnInitializedAsync() => tokens = [.. await Tokens.ScreenTokensAsync(CancellationToken.None)];

    private async Task CreateAsync()
    {
        link = error = null;
        var (token, _, problem) = await Store.CreateAsync(name, ExpiryChoice.From(days, Clock.GetUtcNow()), Client.For((await AuthState).User), CancellationToken.None);
        if (token is null)
        {
            error = problem;
            return;
        }

        link = Navigation.ToAbsoluteUri(PortalUrls.Screen(token)).ToString();
        name = null;
        tokens = [.. await Tokens.ScreenTokensAsync(CancellationToken.None)];
    }

    private async Task RevokeAsync(int id, string tokenName)
    {
        // Risky: the TV showing this link goes blank and needs a new link; ask first.
        if (await Dialogs.ShowMessageBoxAsync($"Revoke screen token '{tokenName}'?",
                "Every screen opened with this link goes blank at its next refresh and needs a new link. This cannot be undone.",
                yesText: "Revoke", cancelText: "Cancel") != true)
        {
            return;
        }

        await Store.RevokeAsync(id, Client.For((await AuthState).User), CancellationToken.None);
        Snackbar.Add($"Screen token '{tokenName}' revoked; screens using it stop at their next refresh.", Severity.Info);
        tokens = [.. await Tokens.ScreenTokensAsync(CancellationToken.None)];
    }
}
