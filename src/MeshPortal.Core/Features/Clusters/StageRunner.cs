using System.Diagnostics;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>The result a stage body returns (timing is added by <see cref="StageRunner"/>).</summary>
internal sealed record StageOutcome(CheckResult Result, string Message, string? Hint = null)
{
    public static StageOutcome Pass(string message, string? hint = null) => new(CheckResult.Pass, message, hint);
    public static StageOutcome Fail(string message, string hint) => new(CheckResult.Fail, message, hint);
}

/// <summary>Runs check stages in order, each with its own timeout, and records them; later stages can be skipped with a reason.</summary>
internal sealed class StageRunner(TimeSpan stageTimeout, CancellationToken ct)
{
    public static readonly IReadOnlyList<(string Id, string Title)> All =
    [
        (CheckStageIds.KubeconfigParse, "Kubeconfig parses"),
        (CheckStageIds.ApiReachable, "API server reachable"),
        (CheckStageIds.ApiTls, "TLS trusted"),
        (CheckStageIds.ApiAuth, "Credentials accepted"),
        (CheckStageIds.KubernetesVersion, "Kubernetes version"),
        (CheckStageIds.IstioControlPlane, "Istio control plane"),
        (CheckStageIds.IstioGateway, "Ingress gateway address"),
        (CheckStageIds.Dns, "DNS for .global"),
        (CheckStageIds.MeshModel, "Multi-cluster models"),
    ];

    public List<CheckStage> Stages { get; } = [];

    public TimeSpan Timeout => stageTimeout;

    public static string Title(string id) => All.First(s => s.Id == id).Title;

    /// <summary>Runs one stage; returns true when it passed (or was skipped by its own decision).</summary>
    public async Task<bool> RunAsync(string id, Func<CancellationToken, Task<StageOutcome>> body)
    {
        var watch = Stopwatch.StartNew();
        StageOutcome outcome;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(stageTimeout);
        try
        {
            outcome = await body(cts.Token).WaitAsync(stageTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException or OperationCanceledException
                                                                  || ex is ClusterCallException { Kind: ClusterCallErrorKind.Timeout }))
        {
            outcome = StageOutcome.Fail($"No answer within {stageTimeout.TotalSeconds:0.#} s (the stage's time limit).", TimeoutHint(id));
        }
        catch (ClusterCallException ex)
        {
            outcome = StageOutcome.Fail(ex.Message, CheckHints.ForCallError(ex.Kind));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Only the type: an arbitrary exception message might quote credentials.
            outcome = StageOutcome.Fail($"The stage failed unexpectedly ({ex.GetType().Name}).",
                "Check again; if it keeps failing, look at the portal's log for this cluster.");
        }
        Stages.Add(new CheckStage(id, Title(id), outcome.Result, watch.ElapsedMilliseconds, outcome.Message, outcome.Hint));
        return outcome.Result != CheckResult.Fail;
    }

    /// <summary>
    /// Records the failure of stage <paramref name="fromId"/> as a failure of the earlier stage <paramref name="toId"/>
    /// (which passed on its own evidence) and removes <paramref name="fromId"/>, so <see cref="SkipRemaining"/> skips it.
    /// </summary>
    public void MoveFailure(string fromId, string toId)
    {
        var from = Stages.Single(s => s.Id == fromId);
        var at = Stages.FindIndex(s => s.Id == toId);
        Stages[at] = Stages[at] with { Result = CheckResult.Fail, DurationMs = Stages[at].DurationMs + from.DurationMs, Message = from.Message, Hint = from.Hint };
        Stages.Remove(from);
    }

    public void Skip(string id, string because) =>
        Stages.Add(new CheckStage(id, Title(id), CheckResult.Skip, 0, because, null));

    /// <summary>Skips every stage not yet recorded, saying which failed stage they depend on.</summary>
    public void SkipRemaining(string failedId)
    {
        foreach (var (id, _) in All.Where(s => Stages.All(r => r.Id != s.Id)))
            Skip(id, $"Skipped: needs \"{Title(failedId)}\" ({failedId}), which failed.");
    }

    private static string TimeoutHint(string id) => id switch
    {
        CheckStageIds.ApiReachable => CheckHints.Unreachable,
        CheckStageIds.ApiTls => "The server accepted the connection but did not complete a TLS handshake in time. Is this the API server's HTTPS port, and is a proxy or firewall holding the connection?",
        _ => "The API server did not answer this request in time; it may be overloaded or the network slow. Check again; if it persists, look at the API server's health.",
    };
}
