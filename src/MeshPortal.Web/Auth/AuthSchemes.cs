namespace MeshPortal.Web.Auth;

public static class AuthSchemes
{
    /// <summary>Forwards to the bearer-token scheme when an Authorization: Bearer header is present, else to the Identity cookie.</summary>
    public const string Smart = "MeshPortal";
    public const string ApiToken = "ApiToken";
}

public static class PortalClaims
{
    public const string TokenName = "meshportal:token";
    public const string ReadOnly = "meshportal:readonly";
}

public static class Roles
{
    public const string Admin = "Admin";
}
