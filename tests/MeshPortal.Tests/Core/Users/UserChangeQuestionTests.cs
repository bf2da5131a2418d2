using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Users;

[Trait("Speed", "Fast")]
public sealed class UserChangeQuestionTests
{
    [Fact]
    public void A_role_change_names_the_user_the_new_role_and_what_it_allows()
    {
        var q = UserChangeQuestion.ForRole("alice", Roles.Viewer, Roles.Admin)!;
        Assert.Equal("Make alice a platform admin?", q.Title);
        Assert.Contains("can do everything", q.Body);
        Assert.Equal("Make platform admin", q.Yes);
    }

    [Fact]
    public void Demoting_an_admin_says_the_admin_rights_go()
    {
        var q = UserChangeQuestion.ForRole("bob", Roles.Admin, Roles.Viewer)!;
        Assert.StartsWith("bob loses the platform admin rights.", q.Body);
        Assert.Contains("change nothing", q.Body);
        Assert.DoesNotContain("loses", UserChangeQuestion.ForRole("bob", Roles.Viewer, Roles.TeamMember)!.Body);
    }

    [Fact]
    public void Locking_says_sign_in_and_api_tokens_stop()
    {
        var q = UserChangeQuestion.ForLock("erin");
        Assert.Equal("Lock erin?", q.Title);
        Assert.Contains("cannot sign in", q.Body);
        Assert.Contains("API token", q.Body);
    }

    [Fact]
    public void The_same_role_or_no_role_asks_nothing()
    {
        Assert.Null(UserChangeQuestion.ForRole("bob", Roles.Viewer, Roles.Viewer));
        Assert.Null(UserChangeQuestion.ForRole("bob", Roles.Viewer, null));
    }

    [Fact]
    public void A_team_change_lists_what_is_added_and_removed()
    {
        var q = UserChangeQuestion.ForTeams("carol", ["ops", "web"], ["web", "payments", "api"])!;
        Assert.Equal("Change the teams of carol?", q.Title);
        Assert.Equal("This adds api, payments; removes ops. carol manages the exports of the namespaces granted to api, payments, web.", q.Body);
        Assert.Equal("Save teams", q.Yes);
    }

    [Fact]
    public void Removing_every_team_says_so_and_an_unchanged_set_asks_nothing()
    {
        Assert.EndsWith("granted to no team from now on.", UserChangeQuestion.ForTeams("dan", ["web"], [])!.Body);
        Assert.Null(UserChangeQuestion.ForTeams("dan", ["web", "ops"], ["ops", "web"]));
    }
}
