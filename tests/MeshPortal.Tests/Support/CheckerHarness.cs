using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Support;

/// <summary>The checker and gateway from the portal's own registration (<see cref="ServiceHarness"/>), with test timeouts.</summary>
internal sealed class CheckerHarness : IDisposable
{
    private readonly ServiceHarness services;

    public CheckerHarness(int stageTimeoutSeconds = 2, int requestTimeoutSeconds = 2, bool allowHttp = false) =>
        services = ServiceHarness.Create(new Dictionary<string, string?>
        {
            ["MeshPortal:Clusters:StageTimeoutSeconds"] = ServiceHarness.Number(stageTimeoutSeconds),
            ["MeshPortal:Clusters:RequestTimeoutSeconds"] = ServiceHarness.Number(requestTimeoutSeconds),
            ["MeshPortal:Clusters:AllowInsecureHttp"] = allowHttp ? "true" : "false",
        });

    public IClusterConnectionChecker Checker => services.Get<IClusterConnectionChecker>();

    public IClusterGateway Gateway => services.Get<IClusterGateway>();

    public IClusterClientFactory Clients => services.Get<IClusterClientFactory>();

    public void Dispose() => services.Dispose();

    public static CheckStage Stage(ConnectionCheckReport report, string id) => Assert.Single(report.Stages, s => s.Id == id);

    /// <summary>Asserts the stage order is the contract's and every stage after <paramref name="failedId"/> is skipped naming it.</summary>
    public static void AssertFailedAt(ConnectionCheckReport report, string failedId)
    {
        Assert.Equal(StageIds, report.Stages.Select(s => s.Id));
        var failed = Stage(report, failedId);
        Assert.Equal(CheckResult.Fail, failed.Result);
        Assert.False(string.IsNullOrWhiteSpace(failed.Hint));
        Assert.False(report.Passed);
        var index = StageIds.IndexOf(failedId);
        Assert.All(report.Stages.Take(index), s => Assert.NotEqual(CheckResult.Fail, s.Result));
        Assert.All(report.Stages.Skip(index + 1), s =>
        {
            Assert.Equal(CheckResult.Skip, s.Result);
            Assert.Contains(failedId, s.Message);
        });
    }

    public static readonly List<string> StageIds =
    [
        CheckStageIds.KubeconfigParse, CheckStageIds.ApiReachable, CheckStageIds.ApiTls, CheckStageIds.ApiAuth,
        CheckStageIds.KubernetesVersion, CheckStageIds.IstioControlPlane, CheckStageIds.IstioGateway, CheckStageIds.Dns, CheckStageIds.MeshModel,
    ];
}
