using System.Security.Claims;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MeshPortal.Web.Components.Shared;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public sealed partial class ApiTokens
{
    [Inject] public required MeshPortal.Core.Features.Tokens.PersonalTokens Commands { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private IReadOnlyList<MeshPortal.Core.Features.Tokens.ApiTokenView>? tokens;
    private string? name;
    private int days = 90;
    private bool readOnly;
    private string? created;
    private string? error;
    private bool isAdmin;
    private bool showAll;
    private ClaimsPrincipal user = new();

    protected override async Task OnInitializedAsync()
    {
        user = (await AuthState).User;
        isAdmin = user.IsInRole(Roles.Admin);
        await LoadAsync();
    }

    private string UserId => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    private async Task LoadAsync() => tokens = await Commands.ListAsync(showAll ? null : UserId, CancellationToken.None);

    private async Task ShowAllAsync(bool value)
    {
        showAll = value && isAdmin;
        await LoadAsync();
    }

    private async Task CreateAsync()
    {
        created = error = null;
        var result = await Commands.CreateAsync(UserId, name, ExpiryChoice.From(days, Clock.GetUtcNow()), readOnly, Policies.IsReadOnly(user), Client.For(user), CancellationToken.None);
        if (!result.Succeeded)
        {
            error = result.Error;
            return;
        }

        created = result.Token;
        name = null;
        await LoadAsync();
    }

    private async Task RevokeAsync(int id)
    {
        var revoked = await Commands.RevokeAsync(id, isAdmin ? null : UserId, Client.For(user), CancellationToken.None);
        if (revoked is not null)
        {
            Snackbar.Add($"Token '{revoked.Name}' revoked; it is refused from now on.", Severity.Info);
        }

        await LoadAsync();
    }
}
