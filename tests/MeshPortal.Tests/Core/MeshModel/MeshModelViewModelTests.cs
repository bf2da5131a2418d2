using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.MeshModel;

[Trait("Speed", "Fast")]
public sealed class MeshModelViewModelTests
{
    [Fact]
    public void A_current_release_gets_one_dot_global_row_and_is_a_primary()
    {
        var model = MeshModelViewModel.From(MeshFactsJson.Serialize(new MeshFacts { IstioVersion = "1.24.0", IstioClusterId = "c1", MeshId = "m" }))!;
        Assert.Equal(["export and consume", "join"], model.Rows.Select(r => r.Role));
        Assert.Equal(["No", "Yes"], model.Rows.Select(r => r.Verdict));
        Assert.True(model.IsPrimary);
    }

    [Fact]
    public void The_seed_install_gets_both_dot_global_roles_and_is_no_primary()
    {
        var model = MeshModelViewModel.From(MeshFactsJson.Serialize(ExportTestData.Installed("1.6.8")))!;
        Assert.Equal(["export", "consume", "join"], model.Rows.Select(r => r.Role));
        Assert.False(model.IsPrimary);
        Assert.Null(MeshModelViewModel.From(null));
    }
}
