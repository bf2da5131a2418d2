using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Web.Components;

public partial class Routes
{
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required AuthenticationStateProvider AuthProvider { get; init; }

    // From the initial request's HttpContext (App.razor); kept by the circuit for audit records of actions taken here.
    [Parameter] public string? RemoteIp { get; set; }
    [Parameter] public string? UserAgent { get; set; }
    private bool screenOnly;

    // Once per circuit (or request): a screen principal stays one for the circuit's life. No cascading parameter here,
    // so that the router (and every page below it) is not re-rendered when the authentication state is re-published.
    protected override async Task OnInitializedAsync()
    {
        Client.Capture(RemoteIp, UserAgent);
        screenOnly = ScreenAccess.IsScreenPrincipal((await AuthProvider.GetAuthenticationStateAsync()).User);
    }
}
