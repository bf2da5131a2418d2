using System.Security.Claims;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Auth.Oidc;

namespace MeshPortal.Tests.Core.Authz;

/// <summary>SSO claims → local user name, role and teams.</summary>
[Trait("Speed", "Fast")]
public sealed class OidcClaimMapperTests
{
    private static readonly OidcOptions Options = new()
    {
        Authority = "https://idp.example",
        ClientId = "meshportal",
        Mappings =
        [
            new() { Group = "platform", Role = Roles.Admin },
            new() { Group = "auditors", Role = Roles.Viewer },
            new() { Group = "payments-devs", Team = "payments" },
            new() { Group = "search-devs", Team = "search" },
            new() { Group = "search-leads", Team = "search", Role = Roles.TeamMember },
        ],
    };

    private static Claim[] Claims(params (string Type, string Value)[] claims) => [.. claims.Select(c => new Claim(c.Type, c.Value))];

    [Fact]
    public void GroupsAsSeparateClaims_MapToTeams_AndMakeATeamMember()
    {
        var id = OidcClaimMapper.Map(Claims(("sub", "u1"), ("preferred_username", "alice"), ("groups", "search-devs"), ("groups", "payments-devs"), ("groups", "other")), Options)!;
        Assert.Equal("u1", id.Subject);
        Assert.Equal("alice", id.UserName);
        Assert.Equal(Roles.TeamMember, id.Role);
        Assert.Equal(["payments", "search"], id.Teams);
    }

    [Fact]
    public void GroupsAsJsonArray_AreRead()
    {
        var id = OidcClaimMapper.Map(Claims(("sub", "u2"), ("email", "bob@example.com"), ("groups", """["auditors","search-leads"]""")), Options)!;
        Assert.Equal("bob@example.com", id.UserName);
        Assert.Equal(Roles.TeamMember, id.Role); // TeamMember outranks Viewer
        Assert.Equal(["search"], id.Teams);
    }

    [Fact]
    public void AdminGroup_Wins_OverEverythingElse()
    {
        var id = OidcClaimMapper.Map(Claims(("sub", "u3"), ("groups", "auditors"), ("groups", "platform"), ("groups", "payments-devs")), Options)!;
        Assert.Equal(Roles.Admin, id.Role);
        Assert.Equal("u3", id.UserName); // no name claim: the subject
    }

    [Fact]
    public void NoMappedGroup_GetsTheDefaultRole_OrNone()
    {
        Assert.Null(OidcClaimMapper.Map(Claims(("sub", "u4"), ("groups", "unmapped")), Options)!.Role);
        var withDefault = new OidcOptions { Mappings = Options.Mappings, DefaultRole = Roles.Viewer };
        Assert.Equal(Roles.Viewer, OidcClaimMapper.Map(Claims(("sub", "u4")), withDefault)!.Role);
        var badDefault = new OidcOptions { DefaultRole = "Superuser" };
        Assert.Null(OidcClaimMapper.Map(Claims(("sub", "u4")), badDefault)!.Role);
    }

    [Fact]
    public void CustomClaimNames_AreHonoured()
    {
        var options = new OidcOptions { GroupsClaim = "roles", UserNameClaim = "upn", Mappings = [new() { Group = "mesh-admins", Role = Roles.Admin }] };
        var id = OidcClaimMapper.Map(Claims(("sub", "u5"), ("upn", "carol@corp"), ("preferred_username", "ignored"), ("roles", "mesh-admins")), options)!;
        Assert.Equal("carol@corp", id.UserName);
        Assert.Equal(Roles.Admin, id.Role);
    }

    [Fact]
    public void WithoutSubject_ThereIsNoIdentity() =>
        Assert.Null(OidcClaimMapper.Map(Claims(("preferred_username", "mallory"), ("groups", "platform")), Options));
}
