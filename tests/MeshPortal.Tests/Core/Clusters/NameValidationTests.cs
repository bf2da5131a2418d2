using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class NameValidationTests
{
    [Theory]
    [InlineData("cluster-1", true)]
    [InlineData("a", true)]
    [InlineData("0abc9", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Cluster-1", false)]
    [InlineData("-cluster", false)]
    [InlineData("cluster-", false)]
    [InlineData("clus_ter", false)]
    [InlineData("clus.ter", false)]
    [InlineData("clüster", false)]
    [InlineData("a b", false)]
    public void Cluster_names_are_dns_1123_labels(string? name, bool valid) =>
        Assert.Equal(valid, ClusterName.Validate(name) is null);

    [Fact]
    public void Cluster_name_length_is_capped_at_63()
    {
        Assert.Null(ClusterName.Validate(new string('a', 63)));
        Assert.Contains("63", ClusterName.Validate(new string('a', 64)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("network1", true)]
    [InlineData("eu-west_1.b", true)]
    [InlineData("EU", true)]
    [InlineData("-net", false)]
    [InlineData("net.", false)]
    [InlineData("net/1", false)]
    [InlineData("net 1", false)]
    public void Label_values_follow_kubernetes_rules(string? value, bool valid) =>
        Assert.Equal(valid, LabelValue.Validate(value, "network") is null);

    [Fact]
    public void Label_value_length_is_capped_at_63()
    {
        Assert.Null(LabelValue.Validate(new string('a', 63)));
        Assert.NotNull(LabelValue.Validate(new string('a', 64)));
    }
}
