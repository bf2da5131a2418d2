using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.MultiCluster;

/// <summary>The move from .global to multi-primary: the pure state machine, and what the planners and probes do in each phase.</summary>
[Trait("Speed", "Fast")]
public sealed class ExportMoveTests
{
    private static readonly PairVerdict Global = new(PairSupport.Supported, ".global");
    private static readonly PairVerdict Modern = new(PairSupport.Supported, "Multi-primary", Model: PairModel.MultiPrimary);
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Istio 1.8.0 installed the seed's way (overlay, sni-dnat, istiocoredns) with its own cluster ID: both models work.</summary>
    private static MeshFacts Both(string id, string mesh = "mesh1") => new()
    {
        IstioVersion = "1.8.0", IstioClusterId = id, MeshId = mesh, OverlayGateway = true, OverlayEnvoyFilter = true, OverlayDestinationRule = true,
        IngressRouterMode = "sni-dnat", IngressHasPort15443 = true, IstioCoreDnsAddress = "10.96.0.53",
    };

    private static ClusterTarget Target(int id, MeshFacts facts) =>
        new(id, $"c{id}", facts.IstioVersion, "203.0.113.9", 15443, facts.IstioCoreDnsAddress, false, "coredns", null, CacertsDecision.None, "v1.20.0", facts);

    private static ExportSpec Web(ExportMovePhase phase) =>
        new(7, 2, "bar", "web", "web.bar.global", "240.0.0.7", false, [1], [new ExportPortSpec("http", 8000, "HTTP")], phase);

    [Fact]
    public void The_move_is_offered_only_when_every_dot_global_pair_can_run_multi_primary()
    {
        var offer = ExportMoveRules.Offer(ExportMovePhase.None, "c2", [new MovePair("c1", Global, Modern), new MovePair("c3", Modern, Modern)]);
        Assert.True(offer.Offered);
        Assert.Equal(["c1"], offer.Consumers);
        Assert.Contains("the .global name keeps working until then", offer.Reason, StringComparison.Ordinal);

        var stuck = ExportMoveRules.Offer(ExportMovePhase.None, "c2", [new MovePair("c1", Global, Modern), new MovePair("c4", Global, null)]);
        Assert.False(stuck.Offered);
        Assert.StartsWith("c4 and c2 cannot both run multi-primary", stuck.Reason, StringComparison.Ordinal);

        var nothing = ExportMoveRules.Offer(ExportMovePhase.None, "c2", [new MovePair("c3", Modern, Modern)]);
        Assert.False(nothing.Offered);
        Assert.Contains("nothing to move", nothing.Reason, StringComparison.Ordinal);

        Assert.False(ExportMoveRules.Offer(ExportMovePhase.Moving, "c2", [new MovePair("c1", Global, Modern)]).Offered);
        Assert.Equal(["c1"], ExportMoveRules.Offer(ExportMovePhase.Moving, "c2", [new MovePair("c1", Global, Modern)]).Consumers);
        Assert.False(ExportMoveRules.Offer(ExportMovePhase.Moved, "c2", [new MovePair("c1", Global, Modern)]).Offered);
    }

    [Fact]
    public void The_move_finishes_only_when_every_port_answered_ok_from_every_consumer_after_it_started()
    {
        string[] consumers = ["c1", "c3"];
        int[] ports = [8000, 9000];
        var allOk = consumers.SelectMany(c => ports.Select(p => new NewNameProbe(c, p, "Ok", Start.AddSeconds(30)))).ToList();
        Assert.True(ExportMoveRules.Observe(Start, consumers, ports, allOk).Finish);

        // One port of one consumer does not resolve yet: wait, and say who and what.
        var dns = allOk.Select(p => p.Consumer == "c3" && p.Port == 9000 ? p with { Status = "Dns" } : p).ToList();
        var waiting = ExportMoveRules.Observe(Start, consumers, ports, dns);
        Assert.False(waiting.Finish);
        Assert.Contains("c3:9000 answered Dns at 08:00:30 UTC", waiting.Note, StringComparison.Ordinal);
        Assert.Contains("The .global name keeps working meanwhile", waiting.Note, StringComparison.Ordinal);

        // An Ok from before the move started does not count; a missing result neither.
        var stale = allOk.Select(p => p.Consumer == "c1" && p.Port == 8000 ? p with { ObservedAt = Start.AddSeconds(-1) } : p).ToList();
        Assert.Contains("c1:8000 not probed yet", ExportMoveRules.Observe(Start, consumers, ports, stale).Note, StringComparison.Ordinal);
        Assert.False(ExportMoveRules.Observe(Start, consumers, ports, allOk.Skip(1).ToList()).Finish);

        // The latest result decides: an Ok after a failure finishes it, a failure after an Ok does not.
        var recovered = dns.Append(new NewNameProbe("c3", 9000, "Ok", Start.AddSeconds(90))).ToList();
        Assert.True(ExportMoveRules.Observe(Start, consumers, ports, recovered).Finish);
        var broke = allOk.Append(new NewNameProbe("c1", 8000, "Connect", Start.AddSeconds(90))).ToList();
        Assert.False(ExportMoveRules.Observe(Start, consumers, ports, broke).Finish);

        Assert.False(ExportMoveRules.Observe(Start, [], ports, allOk).Finish);
    }

    [Fact]
    public void Each_phase_writes_dot_global_then_both_then_only_the_modern_objects()
    {
        var consumer = Target(1, Both("id1"));
        var exporter = Target(2, Both("id2"));
        IReadOnlyList<string> KindsIn(ClusterTarget cluster, ExportMovePhase phase)
        {
            var snapshot = new ExportSnapshot([consumer, exporter], [Web(phase)], new ExportPlanSettings());
            return [.. new ExportPlanner(snapshot).Plan(cluster, LiveObjects.Empty).Objects.Where(o => o.Source == "export/7").Select(o => o.Ref.Kind).Order()];
        }

        Assert.Equal(["ServiceEntry"], KindsIn(consumer, ExportMovePhase.None));
        Assert.Equal(["Namespace", "Service", "ServiceEntry"], KindsIn(consumer, ExportMovePhase.Moving));
        Assert.Equal(["Namespace", "Service"], KindsIn(consumer, ExportMovePhase.Moved));

        // The verdicts follow: .global until the move is done, then multi-primary; the pair without a mesh stays as it was.
        var pairs = new GlobalModelPairs();
        Assert.True(pairs.DecideFor(exporter, consumer, ExportMovePhase.Moving).IsGlobal);
        Assert.True(pairs.DecideFor(exporter, consumer, ExportMovePhase.Moved).IsMultiPrimary);
        var otherMesh = Target(3, Both("id3", mesh: "other"));
        Assert.True(pairs.DecideFor(exporter, otherMesh, ExportMovePhase.Moved).IsGlobal);
        Assert.False(pairs.WritesModern(exporter, otherMesh, ExportMovePhase.Moving));
    }

    [Fact]
    public void While_moving_the_probe_tries_both_names_and_after_only_the_new_one()
    {
        var consumer = new ClusterEntity { Id = 1, Name = "c1", Context = "", ProtectedKubeconfig = "", Server = "", IstioVersion = "1.8.0", MeshFactsJson = MeshFactsJson.Serialize(Both("id1")) };
        var exporter = new ClusterEntity { Id = 2, Name = "c2", Context = "", ProtectedKubeconfig = "", Server = "", IstioVersion = "1.8.0", GatewayAddress = "203.0.113.9", GatewayPort = 15443, MeshFactsJson = MeshFactsJson.Serialize(Both("id2")) };
        IReadOnlyList<string> Hosts(ExportMovePhase phase) =>
            [.. ProbeTargets.SplitByModel(consumer, [consumer, exporter], [new ProbeTarget(7, 2, "web.bar.global", 8000, "bar", "web", phase)], Start).Carried.Select(t => t.Host)];

        Assert.Equal(["web.bar.global"], Hosts(ExportMovePhase.None));
        Assert.Equal(["web.bar.global", "web.bar.svc.cluster.local"], Hosts(ExportMovePhase.Moving));
        Assert.Equal(["web.bar.svc.cluster.local"], Hosts(ExportMovePhase.Moved));
    }
}

[Trait("Speed", "Fast")]
public sealed class ExportMoveViewModelTests
{
    private static ExportView View(ExportMoveView move, params ConsumerName[] names) =>
        new(7, "c2", "bar", "web", "web.bar.global", "240.0.0.7", false, [new ExportPortSpec("http", 8000, "HTTP")], [], null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Naming: new ExportNaming(names, ["c2"], ""), Move: move);

    private static readonly ConsumerName NewName = new("c1", "web.bar.svc.cluster.local", ExportNamingRules.MultiPrimaryModel);
    private static readonly ConsumerName OldName = new("c1", "web.bar.global", ExportNamingRules.GlobalModel);
    private static readonly DateTimeOffset At = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_phase_says_what_happens_offers_its_button_and_after_the_move_names_the_new_host()
    {
        var offered = MeshPortal.Web.ViewModels.ExportMoveViewModel.From(View(new ExportMoveView(ExportMovePhase.None, true, "why", ["c1"], null, null, null, [NewName]), OldName))!;
        Assert.Equal(("Move to multi-primary", true, false), (offered.Title, offered.CanStart, offered.CanStop));

        var moving = MeshPortal.Web.ViewModels.ExportMoveViewModel.From(View(new ExportMoveView(ExportMovePhase.Moving, false, "", ["c1"], At, null, "Waiting: c1:8000 answered Dns", [NewName]), OldName))!;
        Assert.Equal((false, true), (moving.CanStart, moving.CanStop));
        Assert.Contains("web.bar.global keeps working until the new name answers", moving.Text, StringComparison.Ordinal);
        Assert.Equal("Waiting: c1:8000 answered Dns", moving.Note);

        var moved = MeshPortal.Web.ViewModels.ExportMoveViewModel.From(View(new ExportMoveView(ExportMovePhase.Moved, false, "", ["c1"], At, At.AddMinutes(2), null, [NewName]), NewName))!;
        Assert.Equal((false, false), (moved.CanStart, moved.CanStop));
        Assert.Equal([new MeshPortal.Web.ViewModels.MoveNameLine("web.bar.svc.cluster.local", "c1")], moved.NewNames);
        Assert.Contains("web.bar.global no longer resolves there", moved.Text, StringComparison.Ordinal);

        // A .global pair that cannot move says why (no button); a modern-only export shows no card at all.
        var stuck = MeshPortal.Web.ViewModels.ExportMoveViewModel.From(View(new ExportMoveView(ExportMovePhase.None, false, "c1 and c2 cannot both run multi-primary", [], null, null, null, []), OldName))!;
        Assert.Equal(("c1 and c2 cannot both run multi-primary", false), (stuck.Text, stuck.CanStart));
        Assert.Null(MeshPortal.Web.ViewModels.ExportMoveViewModel.From(View(new ExportMoveView(ExportMovePhase.None, false, "nothing to move", [], null, null, null, []), NewName)));
    }
}
