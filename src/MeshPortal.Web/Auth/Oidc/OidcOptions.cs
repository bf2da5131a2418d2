using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Web.Auth.Oidc;

/// <summary>
/// Optional OpenID Connect sign-in (<c>MeshPortal:Oidc</c>). Enabled when <see cref="Authority"/> and <see cref="ClientId"/>
/// are set; users then get a local shadow account (no password) whose role and teams come from the groups claim.
/// </summary>
public sealed class OidcOptions
{
    public const string Section = "MeshPortal:Oidc";
    public const string Scheme = "oidc";

    /// <summary>Where the provider posts the sign-in result (redirect URI <c>https://&lt;portal&gt;/signin-oidc</c>).</summary>
    public const string CallbackPath = "/signin-oidc";

    [Url]

    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>The claim that lists the user's groups (a claim per group, or one JSON array).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The claim that becomes the local user name (falls back to email, then the subject).</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>Group → role and/or team. A user with a mapped team and no mapped role becomes a team member.</summary>
    public List<OidcGroupMapping> Mappings { get; set; } = [];

    /// <summary>The role of SSO users no mapping gives a role (null: none; they can sign in but see no exports).</summary>
    public string? DefaultRole { get; set; }

    /// <summary>The label of the button on the sign-in page.</summary>
    public string DisplayName { get; set; } = "SSO";

    /// <summary>Only for tests and labs: allow an http:// authority.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

public sealed class OidcGroupMapping
{
    public string Group { get; set; } = "";
    public string? Role { get; set; }
    public string? Team { get; set; }
}
