using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.EndToEnd.Sync;

/// <summary>
/// A planner with an input key is not asked while its key and the cluster are unchanged (the run's <see cref="PlanMemo"/>
/// stands in for its plan), and is asked the moment either moves: a new key is pushed, a hand edit is healed, and a key
/// that misses an input is caught as soon as the cluster differs (the push lists again with every plan).
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class RememberedPlanTests : IAsyncLifetime
{
    private ReconcilerHarness h = null!;

    public async Task InitializeAsync()
    {
        h = await ReconcilerHarness.StartAsync(clusters: 1);
        h.Source.Key = "k1";
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2"), Desired.ConfigMap("mp-a")]);
        h.Source.Notes.Add("a note");
        Assert.True((await h.SyncAsync()).Succeeded);
        var compared = await h.SyncAsync(); // finds everything in sync: stores the digest and the memo
        Assert.Equal((false, 0), (compared.ComparisonSkipped, compared.Writes));
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task An_unchanged_key_and_cluster_skip_planning_and_keep_the_notes()
    {
        var asked = h.Source.Plans;
        var skipped = await h.SyncAsync();
        Assert.True(skipped.ComparisonSkipped);
        Assert.Equal(asked, h.Source.Plans);
        Assert.Equal(["a note"], skipped.Notes);

        var batch = await h.SyncAllAsync(); // the recurring job (shared sources) remembers too
        Assert.True(batch.Single().ComparisonSkipped);
        Assert.Equal(asked, h.Source.Plans);
    }

    [Fact]
    public async Task An_unkeyed_planner_is_asked_on_every_push()
    {
        h.Source.Key = null;
        var asked = h.Source.Plans;
        await h.SyncAsync();
        var skipped = await h.SyncAsync();
        Assert.True(skipped.ComparisonSkipped);
        Assert.Equal(asked + 2, h.Source.Plans);
    }

    [Fact]
    public async Task A_new_key_is_planned_and_its_change_pushed()
    {
        h.Source.Objects[1] = Desired.ServiceEntry("httpbin.bar.global", "240.0.0.3");
        h.Source.Key = "k2";
        var asked = h.Source.Plans;
        var pushed = await h.SyncAsync();
        Assert.Equal((1, asked + 1), (pushed.Updated, h.Source.Plans));
        Assert.Equal("240.0.0.3", Address());
    }

    [Fact]
    public async Task A_hand_edit_makes_the_remembered_planner_plan_and_heal()
    {
        var cluster = h.Mesh["cluster-1"];
        var edited = cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!;
        edited["spec"]!["addresses"] = new JsonArray("240.0.99.99");
        cluster.Put(edited);
        var asked = h.Source.Plans;
        var healed = await h.SyncAsync();
        Assert.Equal((false, 1, asked + 1), (healed.ComparisonSkipped, healed.Updated, h.Source.Plans));
        Assert.Equal("240.0.0.2", Address());
        Assert.Equal(["a note"], healed.Notes);
    }

    [Fact]
    public async Task A_key_that_misses_an_input_is_caught_when_the_cluster_differs()
    {
        // The planner now wants another object of a type nothing listed before, but says its inputs are the same (a bug).
        h.Source.Objects.Add(Desired.ConfigMap("mp-b"));
        Assert.True((await h.SyncAsync()).ComparisonSkipped); // unseen until the cluster moves: the key is the planner's promise

        h.Mesh["cluster-1"].Delete("", "configmaps", "default", "mp-a");
        var pushed = await h.SyncAsync();
        Assert.True(pushed.Succeeded, pushed.Error);
        Assert.Equal(2, pushed.Created);
        Assert.NotNull(h.Mesh["cluster-1"].Get("", "configmaps", "default", "mp-b"));

        var next = await h.SyncAsync(); // the memo now is the real plan's
        Assert.Equal(0, next.Writes);
    }

    private string? Address() =>
        (string?)h.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!["spec"]!["addresses"]![0];
}
