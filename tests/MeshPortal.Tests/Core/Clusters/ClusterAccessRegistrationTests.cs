using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class ClusterAccessRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddClusterAccess(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void Defaults_are_safe()
    {
        using var sp = Build([]);
        var options = sp.GetRequiredService<IOptions<ClusterAccessOptions>>().Value;
        Assert.Equal((5, 10, false, false), (options.StageTimeoutSeconds, options.RequestTimeoutSeconds, options.AllowInsecureHttp, options.AllowInsecureSkipTlsVerify));
        Assert.Empty(options.AllowedExecCommands);
        Assert.Same(sp.GetRequiredService<IClusterClientFactory>(), sp.GetRequiredService<IClusterClientFactory>());
        Assert.NotNull(sp.GetRequiredService<IClusterGateway>());
        Assert.NotNull(sp.GetRequiredService<IClusterConnectionChecker>());
    }

    [Fact]
    public void Settings_are_bound_from_MeshPortal_Clusters()
    {
        using var sp = Build(new()
        {
            ["MeshPortal:Clusters:AllowedExecCommands:0"] = "gke-gcloud-auth-plugin",
            ["MeshPortal:Clusters:AllowInsecureHttp"] = "true",
            ["MeshPortal:Clusters:StageTimeoutSeconds"] = "3",
        });
        var policy = sp.GetRequiredService<KubeconfigValidator>().Policy;
        Assert.Equal(["gke-gcloud-auth-plugin"], policy.AllowedExecCommands);
        Assert.True(policy.AllowInsecureHttp);
        Assert.False(policy.AllowInsecureSkipTlsVerify);
        Assert.Equal(TimeSpan.FromSeconds(3), sp.GetRequiredService<IOptions<ClusterAccessOptions>>().Value.StageTimeout);
        Assert.True(sp.GetRequiredService<KubeconfigValidator>().Extract(Kubeconfigs.Build(user: Kubeconfigs.ExecUser), null).Errors.Count == 0);
    }

    [Fact]
    public void Validator_inspects_contexts_and_extracts_one()
    {
        using var sp = Build([]);
        var validator = sp.GetRequiredService<KubeconfigValidator>();

        var inspection = validator.Inspect(Kubeconfigs.Build());
        Assert.True(inspection.IsValid);
        Assert.Equal(["ctx-a"], inspection.Contexts);
        Assert.Equal("ctx-a", inspection.CurrentContext);

        var extraction = validator.Extract(Kubeconfigs.Build(), "ctx-a");
        Assert.Empty(extraction.Errors);
        Assert.Equal(("ctx-a", "https://127.0.0.1:6443"), (extraction.Context, extraction.Server));
        Assert.Contains("current-context: ctx-a", extraction.Kubeconfig);

        var wrongContext = validator.Extract(Kubeconfigs.Build(), "nope");
        Assert.Equal("context", wrongContext.Field);
        Assert.Null(wrongContext.Kubeconfig);

        var refused = validator.Extract(Kubeconfigs.Build(user: Kubeconfigs.ExecUser), null);
        Assert.Equal("kubeconfig", refused.Field);
        Assert.Equal(KubeconfigErrorCodes.ExecPluginRefused, Assert.Single(refused.Details).Code);
    }
}
