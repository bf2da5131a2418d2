using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>A local account (ASP.NET Core Identity).</summary>
public sealed class PortalUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
