using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Components.Shared;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace MeshPortal.Web.Components.Pages;

public sealed partial class Trust : LivePage
{
    private TrustStatus? status;
    private List<ClusterTrustRow> rows = [];
    private RotationPlan plan = new(RotationPhase.None, null, null, []);
    private IssuanceSnapshot issuance = IssuanceSnapshot.Idle;
    private bool busy;
    private string? message;
    private bool messageIsError;
    private string? uploadCluster;
    private string? uploadPem;
    private readonly Dictionary<string, ClusterRollout> rollouts = new(StringComparer.Ordinal);
    private IReadOnlyList<MeshPortal.Core.Features.Topology.ProbeResultView> probes = [];

    [Inject] public required TrustStatusReader Reader { get; init; }
    [Inject] public required TrustService TrustActions { get; init; }
    [Inject] public required IstiodRestarter Restarter { get; init; }
    [Inject] public required TrustRollout Rollout { get; init; }
    [Inject] public required MeshPortal.Core.Features.Topology.TopologyQueries Queries { get; init; }
    [Inject] public required MeshPortal.Core.Features.Probes.RequestProbeCommand ProbeCommand { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private string RotationText => status?.Rotation switch
    {
        RotationPhase.NextRootDistributed => "Phase 1 of 3 done: the next root is trusted beside the current one in every cluster. Next: switch every intermediate to the next root.",
        RotationPhase.IntermediatesSwitched => "Phase 2 of 3 done: every intermediate is signed by the next root. Next: remove the old root from root-cert.pem (restart workloads first so they carry new certificates).",
        _ => "Three explicit steps: add a new root beside the current one everywhere, switch intermediates to it, then remove the old root. Each step waits until every gateway and workload has restarted since the previous one (istiod first where its version needs it).",
    };

    private string RotationButton => status?.Rotation switch
    {
        RotationPhase.NextRootDistributed => "Phase 2: switch intermediates",
        RotationPhase.IntermediatesSwitched => "Phase 3: remove the old root",
        _ => "Phase 1: add a new root",
    };

    protected override async Task ReloadAsync()
    {
        status = await Reader.ReadAsync(CancellationToken.None);
        rows = status.Clusters.Select(ClusterTrustRow.From).ToList();
        plan = RotationPreview.For(status);
        issuance = TrustActions.Issuance;
        probes = status.Clusters.Any(c => c.Transition is not null) ? await Queries.LatestResultsAsync(CancellationToken.None) : [];
    }

    private IReadOnlyList<MeshPortal.Core.Features.Topology.ProbeResultView> ProbesFrom(string cluster) => probes.Where(p => p.Source == cluster).ToList();

    /// <summary>Reads the cluster now (a user-started check) and keeps the answer for the panel.</summary>
    private async Task<TrustOutcome> ObserveAsync(string cluster)
    {
        if (await Rollout.ObserveAsync(cluster, CancellationToken.None) is not { } rollout)
        {
            return TrustOutcome.NotFound($"No cluster named '{cluster}' is registered.");
        }

        rollouts[cluster] = rollout;
        return rollout.Error is null ? TrustOutcome.Ok($"{cluster}: {rollout.Advice!.Message}") : TrustOutcome.Conflict(rollout.Error);
    }

    private async Task<TrustOutcome> ProbeAsync(string cluster)
    {
        var result = await ProbeCommand.ClusterAsync(Client.ActorOf((await AuthState).User), cluster, MeshPortal.Core.Features.Probes.ProbeReason.TrustRollout, CancellationToken.None);
        return result.Status switch
        {
            MeshPortal.Core.Platform.Commands.CommandStatus.Done => TrustOutcome.Ok($"Probes from {cluster} are queued; the results appear below as they arrive."),
            MeshPortal.Core.Platform.Commands.CommandStatus.NotFound => TrustOutcome.NotFound($"No cluster named '{cluster}' is registered."),
            _ => TrustOutcome.Invalid("cluster", result.Error ?? "Not allowed."),
        };
    }

    private async Task<TrustOutcome> CreateRootAsync(CreateRootRequest request)
    {
        var outcome = await TrustActions.CreateRootAsync(request, await ActorAsync(), CancellationToken.None);
        if (outcome.Succeeded)
        {
            Show(outcome);
            await ReloadAsync();
        }

        return outcome;
    }

    private async Task ActAsync(string action, string? cluster)
    {
        busy = true;
        message = null;
        StateHasChanged();
        try
        {
            var actor = await ActorAsync();
            var outcome = action switch
            {
                "reissue" => await TrustActions.ReissueAsync(cluster, actor, CancellationToken.None),
                "reissue-all" => await TrustActions.ReissueAsync(null, actor, CancellationToken.None),
                "adopt" => await TrustActions.SetDecisionAsync(cluster!, CacertsDecision.Adopt, actor, CancellationToken.None),
                "replace" => await TrustActions.SetDecisionAsync(cluster!, CacertsDecision.Replace, actor, CancellationToken.None),
                "restart" => await Restarter.RestartAsync(cluster!, actor, CancellationToken.None),
                "observe" => await ObserveAsync(cluster!),
                "restart-gateways" => await Rollout.RestartGatewaysAsync(cluster!, actor, CancellationToken.None),
                "advance" => await Rollout.AdvanceAsync(cluster!, false, actor, CancellationToken.None),
                "advance-override" => await Rollout.AdvanceAsync(cluster!, true, actor, CancellationToken.None),
                "probe" => await ProbeAsync(cluster!),
                "upload" => await TrustActions.UploadSignedAsync(cluster!, uploadPem, actor, CancellationToken.None),
                "rotate" => await TrustActions.RotateAsync(plan.NextStep ?? RotationPreview.Start, null, actor, CancellationToken.None),
                "rotate-override" => await TrustActions.RotateAsync(plan.NextStep ?? RotationPreview.Start, null, actor, CancellationToken.None, force: true),
                _ => TrustOutcome.Invalid("action", $"Unknown action {action}."),
            };
            Show(outcome);
            if (outcome.Succeeded && action == "upload")
            {
                uploadPem = null;
            }

            if (cluster is not null && action is "restart" or "restart-gateways" or "advance" or "advance-override" && rollouts.ContainsKey(cluster))
            {
                await ObserveAsync(cluster); // show what the cluster looks like after the action
                message = outcome.Message;
            }

            await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    }

    private void Show(TrustOutcome outcome)
    {
        message = outcome.Message;
        messageIsError = !outcome.Succeeded;
    }

    private async Task<MeshPortal.Core.Platform.Audit.AuditContext> ActorAsync() => Client.For((await AuthState).User);
}
