using MeshPortal.Core.Features.Teams;
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
/// Finds or creates the local shadow user of an SSO sign-in (external login "oidc" + subject), aligns its role and team
/// memberships with the mapping on every sign-in, and replaces the principal with the local one.
/// </summary>
public sealed class OidcShadowUsers(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    MeshPortal.Core.Features.Teams.TeamService teams,
    OidcOptions options,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<OidcShadowUsers> logger)
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

        var user = await EnsureUserAsync(mapped, who);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(who with { Actor = user.UserName! }, new AuditEvent("user.sso-sign-in", "user", user.UserName, "SSO sign-in of a locked account refused", Outcome: AuditOutcomes.Denied));
            ctx.Fail("This account is locked.");
            return;
        }

        await AlignAsync(user, mapped);
        ctx.Principal = await signIn.CreateUserPrincipalAsync(user);
        await audit.RecordAsync(who with { Actor = user.UserName!, UserId = user.Id }, new AuditEvent("user.sso-sign-in", "user", user.UserName,
            $"Signed in with SSO as {mapped.Role ?? "no role"}", After: new { role = mapped.Role, teams = mapped.Teams }));
    }

    private async Task<PortalUser> EnsureUserAsync(OidcIdentity mapped, AuditContext who)
    {
        var user = await users.FindByLoginAsync(OidcOptions.Scheme, mapped.Subject);
        if (user is not null)
        {
            return user;
        }

        var name = mapped.UserName;
        if (await users.FindByNameAsync(name) is not null)
        {
            name = $"{mapped.UserName}@sso"; // a local account of that name exists: never merge an SSO identity into it
        }

        user = new PortalUser { UserName = name, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true };
        Check(await users.CreateAsync(user), "create the SSO shadow user");
        Check(await users.AddLoginAsync(user, new UserLoginInfo(OidcOptions.Scheme, mapped.Subject, options.DisplayName)), "link the SSO login");
        await audit.RecordAsync(who with { Actor = name }, new AuditEvent("user.created", "user", name, "Shadow account created at first SSO sign-in",
            After: new { role = mapped.Role, teams = mapped.Teams }));
        return user;
    }

    /// <summary>SSO users' role and teams follow the identity provider's groups at every sign-in.</summary>
    private async Task AlignAsync(PortalUser user, OidcIdentity mapped)
    {
        var current = await users.GetRolesAsync(user);
        if (current.Count != (mapped.Role is null ? 0 : 1) || (mapped.Role is not null && !current.Contains(mapped.Role)))
        {
            await users.RemoveFromRolesAsync(user, current);
            if (mapped.Role is not null)
            {
                await users.AddToRoleAsync(user, mapped.Role);
            }
        }

        var teamIds = await teams.IdsByNameAsync(mapped.Teams, CancellationToken.None);
        var unknown = mapped.Teams.Count - teamIds.Count;
        if (unknown > 0)
        {
            logger.LogWarning("SSO user {User}: {Count} mapped team(s) do not exist in MeshPortal; create them on the Teams page", user.UserName, unknown);
        }

        await teams.ReplaceMembershipsAsync(user.Id, teamIds, CancellationToken.None);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
