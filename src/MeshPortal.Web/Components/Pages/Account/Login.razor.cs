using System.ComponentModel.DataAnnotations;
using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Auth.Oidc;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace MeshPortal.Web.Components.Pages.Account;

public sealed partial class Login
{
    private string? errorMessage;

    [Inject] public required PasswordSignIn PasswordSignIn { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ILogger<Login> Logger { get; init; }
    [Inject] public required OidcOptions Oidc { get; init; }
    [Inject] public required SignInAudit SignIns { get; init; }

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm]
    private LoginInput? Input { get; set; }

    [SupplyParameterFromQuery]
    private string? ReturnUrl { get; set; }

    protected override void OnInitialized() => Input ??= new();

    private async Task SignInAsync()
    {
        var client = HttpContext.Connection.RemoteIpAddress?.ToString();
        var result = await PasswordSignIn.SignInAsync(Input!.UserName, Input.Password, client);
        // Audited as the name typed (never the password); the client is the request's IP and user agent. A throttled
        // flood is audited once per name/client and window, so an anonymous caller cannot fill the audit log.
        var who = AuditContexts.From(HttpContext) with { Actor = Clip(Input.UserName) };
        if (result.Outcome == SignInOutcome.Succeeded)
        {
            await SignIns.RecordAsync(who, SignInAttempt.Succeeded);
            Navigation.NavigateTo(AccountEndpoints.SafeReturnUrl(ReturnUrl), forceLoad: true);
            return;
        }

        Logger.LogWarning("Sign-in {Outcome} for {User} from {Ip}", result.Outcome, Clip(Input.UserName), client);
        if (result.Audit)
        {
            await SignIns.RecordAsync(who, result.Outcome switch
            {
                SignInOutcome.Locked => SignInAttempt.Locked,
                SignInOutcome.Throttled => SignInAttempt.Throttled,
                _ => SignInAttempt.Failed,
            });
        }

        errorMessage = result.Message;
    }

    private static string Clip(string name) => name.Length <= 100 ? name : name[..100];

    private sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}
