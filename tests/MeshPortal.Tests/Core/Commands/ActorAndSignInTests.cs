using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>The caller's rights every command checks, the sign-in audit wording, and the export rights built from an Actor.</summary>
[Trait("Speed", "Fast")]
public sealed class ActorAndSignInTests
{
    [Theory]
    [InlineData(true, false, false, false, true, true)]
    [InlineData(true, false, false, true, false, false)]
    [InlineData(false, true, false, false, true, false)]
    [InlineData(false, false, true, false, false, false)]
    [InlineData(false, false, false, false, false, false)]
    public void Operate_needs_an_admin_or_team_member_and_administer_an_admin_and_neither_a_read_only_token(
        bool admin, bool member, bool viewer, bool readOnly, bool mayOperate, bool mayAdminister)
    {
        var actor = new Actor(new AuditContext("x", "id-x"), admin, member, viewer, readOnly);

        Assert.Equal((mayOperate, mayAdminister), (actor.MayOperate, actor.MayAdminister));
        Assert.Contains(readOnly ? "read-only" : "your role", actor.Refusal("do it"));
    }

    [Theory]
    [InlineData(SignInAttempt.Succeeded, AuditOutcomes.Success, "Signed in with a password")]
    [InlineData(SignInAttempt.Failed, AuditOutcomes.Failed, "Sign-in failed: wrong user name or password")]
    [InlineData(SignInAttempt.Locked, AuditOutcomes.Denied, "Sign-in refused: the account is locked by an admin")]
    [InlineData(SignInAttempt.Throttled, AuditOutcomes.Denied, "Sign-in refused: too many failed sign-ins (further attempts in this window are not audited)")]
    public void A_sign_in_is_audited_under_the_name_typed_with_its_outcome(SignInAttempt attempt, string outcome, string summary)
    {
        var e = SignInAudit.EventOf("alice", attempt);

        Assert.Equal((SignInAudit.Action, "user", "alice", outcome, summary), (e.Action, e.TargetKind, e.Target, e.Outcome, e.Summary));
    }

    [Fact]
    public async Task Export_rights_of_an_actor_carry_its_teams_and_a_signed_out_caller_has_none()
    {
        await using var h = await CommandHarness.StartAsync();
        var cluster = await h.AddClusterAsync("cluster-2");
        await h.AddTeamExportAsync(cluster, "payments", "pam", "bar");
        var permissions = h.Get<ExportPermissions>();

        var pam = await permissions.RightsAsync(CommandHarness.Member("pam"), CancellationToken.None);
        var nobody = await permissions.RightsAsync(new Actor(new AuditContext("anonymous"), false, false, false, true), CancellationToken.None);
        var system = await permissions.RightsAsync(Actor.System, CancellationToken.None);

        Assert.Single(pam.TeamIds);
        Assert.False(pam.IsAdmin);
        Assert.Equal((false, false, false), (nobody.IsAdmin, nobody.IsViewer, nobody.IsTeamMember));
        Assert.True(system.IsAdmin);
    }
}
