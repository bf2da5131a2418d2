using MeshPortal.Core.Features.Teams;

namespace MeshPortal.Tests.Core.Authz;

/// <summary>The export ownership rules, cell by cell, without a database.</summary>
[Trait("Speed", "Fast")]
public sealed class ExportAccessTests
{
    private static readonly TeamGrant AlphaBarOnC2 = new(1, "alpha", "c2", "bar");
    private static readonly TeamGrant BetaFooEverywhere = new(2, "beta", TeamGrant.AnyCluster, "foo");
    private static readonly TeamGrant GammaBarOnC2 = new(3, "gamma", "c2", "bar");

    private static ExportRights Member(params TeamGrant[] grants) =>
        new(false, false, true, false, [.. grants.Select(g => g.TeamId).Distinct()], grants);

    private static readonly ExportRights Admin = new(true, false, false, false, [], []);
    private static readonly ExportRights Viewer = new(false, true, false, false, [], []);

    [Theory]
    [InlineData("c2", "bar", true)]
    [InlineData("c1", "bar", false)]   // same namespace, other cluster
    [InlineData("c2", "baz", false)]   // other namespace
    [InlineData("c2", "Bar", false)]   // names are case-sensitive, like Kubernetes
    public void GrantOnOneCluster_CoversOnlyThatClusterAndNamespace(string cluster, string ns, bool expected) =>
        Assert.Equal(expected, ExportAccess.MayWrite(Member(AlphaBarOnC2), new ExportTarget(cluster, ns, null)));

    [Theory]
    [InlineData("c1")]
    [InlineData("c2")]
    [InlineData("registered-later")]
    public void WildcardGrant_CoversTheNamespaceOnEveryCluster(string cluster) =>
        Assert.True(ExportAccess.MayWrite(Member(BetaFooEverywhere), new ExportTarget(cluster, "foo", null)));

    [Fact]
    public void OwnedExport_BelongsToItsTeam_NotToAnotherTeamGrantedTheSameNamespace()
    {
        var ownedByGamma = new ExportTarget("c2", "bar", OwnerTeamId: 3);
        Assert.False(ExportAccess.MayWrite(Member(AlphaBarOnC2), ownedByGamma));
        Assert.False(ExportAccess.MayRead(Member(AlphaBarOnC2), ownedByGamma));
        Assert.True(ExportAccess.MayWrite(Member(GammaBarOnC2), ownedByGamma));
    }

    [Fact]
    public void ExportMovedToATeam_IsThatTeamsEvenWithoutAGrant()
    {
        var movedToBeta = new ExportTarget("c2", "bar", OwnerTeamId: 2);
        Assert.True(ExportAccess.MayWrite(Member(BetaFooEverywhere), movedToBeta));
    }

    [Fact]
    public void Admin_MayEverything_Viewer_ReadsEverythingWritesNothing()
    {
        var export = new ExportTarget("c2", "bar", 1);
        Assert.True(ExportAccess.MayWrite(Admin, export));
        Assert.True(ExportAccess.MayRead(Viewer, export));
        Assert.False(ExportAccess.MayWrite(Viewer, export));
        Assert.False(ExportAccess.MayCreateAny(Viewer));
        Assert.False(ExportAccess.MayRead(ExportRights.None, export));
    }

    [Fact]
    public void ReadOnlyToken_NeverWrites_ButStillReads()
    {
        var export = new ExportTarget("c2", "bar", 1);
        Assert.False(ExportAccess.MayWrite(Admin with { ReadOnly = true }, export));
        Assert.False(ExportAccess.MayWrite(Member(AlphaBarOnC2) with { ReadOnly = true }, export));
        Assert.False(ExportAccess.MayCreateAny(Member(AlphaBarOnC2) with { ReadOnly = true }));
        Assert.True(ExportAccess.MayRead(Member(AlphaBarOnC2) with { ReadOnly = true }, export));
    }

    [Fact]
    public void TeamMemberWithoutGrants_MayNotCreateAnywhere()
    {
        Assert.False(ExportAccess.MayCreateAny(Member()));
        Assert.True(ExportAccess.MayCreateAny(Member(AlphaBarOnC2)));
    }

    [Fact]
    public void ChooseOwner_TheOnlyGrantedTeam_IsTheDefault()
    {
        Assert.Equal((1, (string?)null), ExportAccess.ChooseOwner(Member(AlphaBarOnC2, BetaFooEverywhere), "c2", "bar", null, []));
    }

    [Fact]
    public void ChooseOwner_SeveralGrantedTeams_MustBeChosen_AndOnlyAmongThem()
    {
        var both = Member(AlphaBarOnC2, GammaBarOnC2);
        var (none, error) = ExportAccess.ChooseOwner(both, "c2", "bar", null, []);
        Assert.Null(none);
        Assert.Contains("choose the owning team", error);
        Assert.Contains("alpha, gamma", error);
        Assert.Equal((3, (string?)null), ExportAccess.ChooseOwner(both, "c2", "bar", 3, []));
        var (wrong, wrongError) = ExportAccess.ChooseOwner(both, "c2", "bar", 2, []);
        Assert.Null(wrong);
        Assert.Contains("not one of your teams", wrongError);
    }

    [Fact]
    public void ChooseOwner_Admin_TakesTheRequestedTeam_OrTheOnlyTeamGrantedTheNamespace_OrNone()
    {
        Assert.Equal((2, (string?)null), ExportAccess.ChooseOwner(Admin, "c2", "bar", 2, []));
        Assert.Equal((1, (string?)null), ExportAccess.ChooseOwner(Admin, "c2", "bar", null, [AlphaBarOnC2, BetaFooEverywhere]));
        Assert.Equal(((int?)null, (string?)null), ExportAccess.ChooseOwner(Admin, "c2", "bar", null, [AlphaBarOnC2, GammaBarOnC2]));
        Assert.Equal(((int?)null, (string?)null), ExportAccess.ChooseOwner(Admin, "c9", "zzz", null, [AlphaBarOnC2]));
    }
}
