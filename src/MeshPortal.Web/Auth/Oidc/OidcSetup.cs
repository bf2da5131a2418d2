using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Web.Auth.Oidc;

/// <summary>Registers the OpenID Connect scheme when <c>MeshPortal:Oidc</c> is configured; nothing otherwise.</summary>
public static class OidcSetup
{
    public static void AddMeshPortalOidc(this AuthenticationBuilder auth, OidcOptions options)
    {
        auth.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return;
        }

        auth.Services.AddScoped<OidcShadowUsers>();
        auth.Services.AddScoped<SsoAccounts>();
        auth.AddOpenIdConnect(OidcOptions.Scheme, options.DisplayName, o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
            o.Scope.Clear();
            o.Scope.Add("openid");
            foreach (var scope in options.Scopes.Where(s => !string.IsNullOrWhiteSpace(s)))
            {
                o.Scope.Add(scope);
            }

            o.MapInboundClaims = false;
            // Groups are read from the id_token (where providers put them when asked to); the principal is replaced by the
            // local one in OnTokenValidated, so a later userinfo merge would have nothing to map.
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.CallbackPath = OidcOptions.CallbackPath;
            // The cookie holds the local shadow user (its id, name and role), not the provider's claims.
            o.SignInScheme = IdentityConstants.ApplicationScheme;
            o.Events.OnTokenValidated = ctx => OidcShadowUsers.OnTokenValidatedAsync(ctx);
        });
    }
}

/// <summary>
/// Adapts an SSO sign-in to the local shadow account (<see cref="SsoAccounts"/>: created at first sign-in, role and team
/// memberships aligned with the mapping on every sign-in), replaces the principal with the local one, and records the
/// sign-in (an event that changes no row, so <see cref="IAuditLog.RecordAsync"/>).
/// </summary>
public sealed class OidcShadowUsers(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    SsoAccounts accounts,
    OidcOptions options,
    IAuditLog audit)
{
    internal static Task OnTokenValidatedAsync(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext ctx) =>
        ctx.HttpContext.RequestServices.GetRequiredService<OidcShadowUsers>().SignInAsync(ctx.Principal!, ctx, ctx.HttpContext);

    private async Task SignInAsync(System.Security.Claims.ClaimsPrincipal external, RemoteAuthenticationContext<OpenIdConnectOptions> ctx, HttpContext http)
    {
        var mapped = OidcClaimMapper.Map(external.Claims, options);
        var who = AuditContexts.From(http);
        if (mapped is null)
        {
            await audit.RecordAsync(who, new AuditEvent("user.sso-sign-in", "user", null, "SSO sign-in without a subject claim refused", Outcome: AuditOutcomes.Failed));
            ctx.Fail("The identity provider sent no subject claim.");
            return;
        }

        var user = await accounts.EnsureAsync(OidcOptions.Scheme, mapped.Subject, options.DisplayName, mapped.UserName, mapped.Role, mapped.Teams, who, CancellationToken.None);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(who with { Actor = user.UserName! }, new AuditEvent("user.sso-sign-in", "user", user.UserName, "SSO sign-in of a locked account refused", Outcome: AuditOutcomes.Denied));
            ctx.Fail("This account is locked.");
            return;
        }

        await accounts.AlignAsync(user, mapped.Role, mapped.Teams, CancellationToken.None);
        ctx.Principal = await signIn.CreateUserPrincipalAsync(user);
        await audit.RecordAsync(who with { Actor = user.UserName!, UserId = user.Id }, new AuditEvent("user.sso-sign-in", "user", user.UserName,
            $"Signed in with SSO as {mapped.Role ?? "no role"}", After: new { role = mapped.Role, teams = mapped.Teams }));
    }
}
