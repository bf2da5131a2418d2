using MeshPortal.Core.Features.Trust;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.TrustParts;

public partial class RootTransitionPanel
{
    [Parameter, EditorRequired] public required ClusterTrustView Cluster { get; set; }
    [Parameter] public ClusterRollout? Rollout { get; set; }
    [Parameter] public IReadOnlyList<MeshPortal.Core.Features.Topology.ProbeResultView> Probes { get; set; } = [];
    [Parameter] public bool Busy { get; set; }
    [Parameter] public EventCallback<(string Action, string Cluster)> OnAction { get; set; }

    public static string PhaseText(TransitionPhase? phase) => phase switch
    {
        TransitionPhase.Bundle => "Phase 1 of 3: bundle",
        TransitionPhase.Intermediate => "Phase 2 of 3: intermediate",
        TransitionPhase.Done => "Phase 3 of 3: done",
        _ => "no transition",
    };

    private static string StepText(RolloutStep step) => step switch
    {
        RolloutStep.WaitForPush => "Waiting for the push",
        RolloutStep.RestartIstiod => "Restart istiod",
        RolloutStep.WaitForIstiod => "istiod is restarting",
        RolloutStep.RestartPods => "Restart gateways and workloads",
        _ => "Rolled out",
    };
}
