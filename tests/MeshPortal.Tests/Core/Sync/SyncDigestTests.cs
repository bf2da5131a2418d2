using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Sync;

/// <summary>The digest that lets an unchanged cluster skip the comparison moves with anything the comparison would see.</summary>
[Trait("Speed", "Fast")]
public sealed class SyncDigestTests
{
    private static readonly ObjectRef SeRef = new("networking.istio.io", "v1alpha3", "serviceentries", "ServiceEntry", "meshportal-global", "httpbin-bar-global");
    private static readonly ObjectRef CorefileRef = new("", "v1", "configmaps", "ConfigMap", "kube-system", "coredns");

    private static LiveManagedObject Live(string name, string resourceVersion) =>
        new(SeRef with { Name = name }, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = resourceVersion } });

    private static string Digest(
        IReadOnlyList<DesiredObject>? desired = null, IEnumerable<string>? notes = null, IReadOnlyList<LiveManagedObject>? live = null,
        Dictionary<ObjectRef, JsonObject?>? reads = null) =>
        SyncDigest.Of(
            desired ?? [Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")],
            notes ?? ["a note"],
            live ?? [Live("httpbin-bar-global", "41"), Live("other", "7")],
            reads ?? new Dictionary<ObjectRef, JsonObject?> { [CorefileRef] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "3" } } });

    [Fact]
    public void The_same_inputs_give_the_same_digest() => Assert.Equal(Digest(), Digest());

    [Fact]
    public void A_desired_body_change_moves_it() =>
        Assert.NotEqual(Digest(), Digest(desired: [Desired.ServiceEntry("httpbin.bar.global", "240.0.0.3")]));

    [Fact]
    public void A_desired_source_or_mode_change_moves_it()
    {
        Assert.NotEqual(Digest(), Digest(desired: [Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2", source: "export/2")]));
        Assert.NotEqual(Digest(), Digest(desired: [Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2") with { Mode = ApplyMode.Merge }]));
    }

    [Fact]
    public void A_new_resource_version_moves_it_which_is_how_a_hand_edit_shows() =>
        Assert.NotEqual(Digest(), Digest(live: [Live("httpbin-bar-global", "42"), Live("other", "7")]));

    [Fact]
    public void An_object_deleted_or_added_by_hand_moves_it()
    {
        Assert.NotEqual(Digest(), Digest(live: [Live("httpbin-bar-global", "41")]));
        Assert.NotEqual(Digest(), Digest(live: [Live("httpbin-bar-global", "41"), Live("other", "7"), Live("stray", "9")]));
    }

    [Fact]
    public void A_read_object_changed_or_gone_moves_it()
    {
        Assert.NotEqual(Digest(), Digest(reads: new() { [CorefileRef] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "4" } } }));
        Assert.NotEqual(Digest(), Digest(reads: new() { [CorefileRef] = null }));
    }

    [Fact]
    public void A_planner_note_moves_it() => Assert.NotEqual(Digest(), Digest(notes: ["another note"]));

    [Fact]
    public void A_live_object_without_a_resource_version_is_hashed_whole()
    {
        static LiveManagedObject Bare(string address) => new(SeRef, new JsonObject { ["spec"] = new JsonObject { ["addresses"] = new JsonArray(address) } });
        Assert.NotEqual(Digest(live: [Bare("240.0.0.2")]), Digest(live: [Bare("240.0.99.99")]));
    }

    [Fact]
    public void Strings_cannot_run_into_each_other() =>
        Assert.NotEqual(Digest(notes: ["ab", "c"]), Digest(notes: ["a", "bc"]));
}
