using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Sync;

[Trait("Speed", "Fast")]
public sealed class SyncPlannerTests
{
    private static readonly ObjectRef SeRef = new("networking.istio.io", "v1beta1", "serviceentries", "ServiceEntry", "meshportal-global", "httpbin");

    private static DesiredObject Se(string vip = "240.0.0.2", string source = "export/1") => new(SeRef,
        new JsonObject { ["metadata"] = new JsonObject(), ["spec"] = new JsonObject { ["hosts"] = new JsonArray("httpbin.bar.global"), ["addresses"] = new JsonArray(vip) } },
        source);

    /// <summary>What the cluster returns after applying the stamped object: the body plus server fields, read at <paramref name="version"/>.</summary>
    private static LiveManagedObject Live(DesiredObject d, string version = "v1alpha3", Action<JsonObject>? edit = null)
    {
        var body = (JsonObject)SyncDiffer.Stamp(d).Object.Body.DeepClone();
        body["apiVersion"] = $"{d.Ref.Group}/{version}";
        body["metadata"]!["resourceVersion"] = "42";
        body["metadata"]!["uid"] = "u-1";
        body["metadata"]!["labels"]!["team"] = "added-by-someone";
        body["status"] = new JsonObject();
        edit?.Invoke(body);
        return new LiveManagedObject(d.Ref with { Version = version }, body);
    }

    private static SyncPlan Plan(IReadOnlyList<DesiredObject> desired, IReadOnlyList<LiveManagedObject>? live = null, LiveObjects? others = null,
        IEnumerable<ObjectKey>? recorded = null) =>
        SyncDiffer.Plan(desired, live ?? [], others ?? LiveObjects.Empty, recorded ?? []);

    [Fact]
    public void Missing_owned_object_is_created_with_label_source_and_hash()
    {
        var plan = Plan([Se()]);
        var action = Assert.Single(plan.Actions);
        Assert.Equal(SyncActionKind.Create, action.Kind);
        var meta = action.Object!.Body["metadata"]!;
        Assert.Equal("meshportal", (string?)meta["labels"]![ManagedLabels.ManagedBy]);
        Assert.Equal("export/1", (string?)meta["annotations"]![ManagedLabels.Source]);
        Assert.Equal(action.Hash, (string?)meta["annotations"]![ManagedLabels.DesiredHash]);
        Assert.Equal(("httpbin", "meshportal-global"), ((string?)meta["name"], (string?)meta["namespace"]));
        Assert.Equal("networking.istio.io/v1beta1", (string?)action.Object.Body["apiVersion"]);
    }

    [Fact]
    public void Steady_state_is_all_noops_even_when_read_at_another_version_with_server_fields()
    {
        var plan = Plan([Se()], [Live(Se())]);
        Assert.Equal(SyncActionKind.NoOp, Assert.Single(plan.Actions).Kind);
        Assert.Empty(plan.Writes);
    }

    [Fact]
    public void Changed_desired_state_is_an_update()
    {
        var plan = Plan([Se("240.0.0.3")], [Live(Se())]);
        var action = Assert.Single(plan.Actions);
        Assert.Equal(SyncActionKind.Update, action.Kind);
        Assert.Equal("desired state changed", action.Reason);
    }

    [Fact]
    public void A_field_changed_by_hand_is_an_update_even_with_the_same_hash()
    {
        var plan = Plan([Se()], [Live(Se(), edit: b => b["spec"]!["addresses"] = new JsonArray("240.0.0.99"))]);
        var action = Assert.Single(plan.Actions);
        Assert.Equal(SyncActionKind.Update, action.Kind);
        Assert.Contains("spec.addresses", action.Reason);
    }

    [Fact]
    public void A_missing_hash_annotation_is_an_update()
    {
        var plan = Plan([Se()], [Live(Se(), edit: b => b["metadata"]!["annotations"]!.AsObject().Remove(ManagedLabels.DesiredHash))]);
        Assert.Equal(SyncActionKind.Update, Assert.Single(plan.Actions).Kind);
    }

    [Fact]
    public void A_managed_object_nobody_produces_is_deleted_and_its_row_is_not_forgotten_before()
    {
        var stale = Live(Se() with { Ref = SeRef with { Name = "old" } });
        var plan = Plan([Se()], [Live(Se()), stale], recorded: [ObjectKey.Of(stale.Ref), new ObjectKey("", "ConfigMap", "x", "gone")]);
        var delete = Assert.Single(plan.Actions, a => a.Kind == SyncActionKind.Delete);
        Assert.Equal("old", delete.Ref.Name);
        Assert.Equal("export/1", delete.Source);
        Assert.Equal([new ObjectKey("", "ConfigMap", "x", "gone")], plan.Forget);
    }

    [Fact]
    public void Nothing_desired_deletes_only_what_is_listed_as_managed()
    {
        var plan = Plan([], [Live(Se())]);
        Assert.Equal(SyncActionKind.Delete, Assert.Single(plan.Actions).Kind);
        Assert.Empty(Plan([]).Actions);
    }

    [Fact]
    public void Merge_compares_only_its_fields_and_never_labels()
    {
        var cm = new ObjectRef("", "v1", "configmaps", "ConfigMap", "kube-system", "coredns");
        var desired = new DesiredObject(cm, new JsonObject { ["data"] = new JsonObject { ["Corefile"] = "new" } }, "dns", ApplyMode.Merge);
        JsonObject LiveCm(string corefile) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "coredns", ["namespace"] = "kube-system", ["resourceVersion"] = "7" },
            ["data"] = new JsonObject { ["Corefile"] = corefile, ["other"] = "kept" },
        };

        var same = Plan([desired], others: new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [cm] = LiveCm("new") }));
        Assert.Equal(SyncActionKind.NoOp, Assert.Single(same.Actions).Kind);

        var differs = Plan([desired], others: new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [cm] = LiveCm("old") }));
        var update = Assert.Single(differs.Actions);
        Assert.Equal(SyncActionKind.Update, update.Kind);
        Assert.Null(update.Object!.Body["metadata"]!["labels"]);
        Assert.Null(update.Object.Body["data"]!["other"]);
    }

    [Fact]
    public void Create_only_creates_when_missing_and_never_deletes()
    {
        var ns = new DesiredObject(new ObjectRef("", "v1", "namespaces", "Namespace", null, "meshportal-global"), new JsonObject(), "exports", ApplyMode.CreateOnly);
        Assert.Equal(SyncActionKind.Create, Assert.Single(Plan([ns]).Actions).Kind);
        var exists = new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [ns.Ref] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "meshportal-global" } } });
        Assert.Equal(SyncActionKind.NoOp, Assert.Single(Plan([ns], others: exists).Actions).Kind);
        Assert.Empty(Plan([], others: exists).Actions);
    }

    [Fact]
    public void Duplicate_objects_keep_the_first_and_add_a_note()
    {
        var plan = Plan([Se(source: "export/1"), Se(source: "export/2")]);
        Assert.Equal("export/1", Assert.Single(plan.Actions).Source);
        Assert.Contains(plan.Notes, n => n.Contains("export/2", StringComparison.Ordinal));
    }

    [Fact]
    public void Hash_is_stable_under_key_order_and_changes_with_content()
    {
        var a = JsonNode.Parse("""{"b":1,"a":{"y":[1,2],"x":"s"}}""");
        var b = JsonNode.Parse("""{"a":{"x":"s","y":[1,2]},"b":1}""");
        Assert.Equal(DesiredHashing.Hash(a), DesiredHashing.Hash(b));
        Assert.NotEqual(DesiredHashing.Hash(a), DesiredHashing.Hash(JsonNode.Parse("""{"a":{"x":"s","y":[2,1]},"b":1}""")));
        Assert.Equal(SyncDiffer.Stamp(Se()).Hash, SyncDiffer.Stamp(Se()).Hash);
    }

    [Fact]
    public void Secret_string_data_is_applied_as_data_so_the_steady_state_compares_equal()
    {
        var secret = new DesiredObject(new ObjectRef("", "v1", "secrets", "Secret", "istio-system", "cacerts"),
            new JsonObject { ["stringData"] = new JsonObject { ["root-cert.pem"] = "PEM" } }, "trust");
        var stamped = SyncDiffer.Stamp(secret).Object.Body;
        Assert.Null(stamped["stringData"]);
        Assert.Equal(Convert.ToBase64String("PEM"u8.ToArray()), (string?)stamped["data"]!["root-cert.pem"]);
    }

    [Theory]
    [InlineData("""{"a":1}""", """{"a":1,"b":2}""", null)]
    [InlineData("""{"a":{"b":[{"c":1}]}}""", """{"a":{"b":[{"c":1,"d":2}]}}""", null)]
    [InlineData("""{"a":{"b":[{"c":1}]}}""", """{"a":{"b":[{"c":1},{"c":2}]}}""", "a.b")]
    [InlineData("""{"a":"x"}""", """{"a":"y"}""", "a")]
    [InlineData("""{"a":1}""", """{}""", "a")]
    [InlineData("""{"n":8000}""", """{"n":8000.0}""", null)]
    public void Subset_comparison(string desired, string live, string? difference) =>
        Assert.Equal(difference, JsonSubset.FirstDifference(JsonNode.Parse(desired), JsonNode.Parse(live)));

    [Fact]
    public void A_merge_and_a_create_only_of_one_object_become_the_merge_in_either_order()
    {
        var nsRef = new ObjectRef("", "v1", "namespaces", "Namespace", null, "istio-system");
        var ensure = new DesiredObject(nsRef, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "istio-system" } }, "trust", ApplyMode.CreateOnly);
        var label = new DesiredObject(nsRef, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "istio-system", ["labels"] = new JsonObject { ["topology.istio.io/network"] = "net1" } },
        }, "mesh", ApplyMode.Merge);
        var live = new LiveObjects(new Dictionary<ObjectRef, JsonObject?> { [nsRef] = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "istio-system" } } });

        foreach (var order in new[] { new[] { ensure, label }, [label, ensure] })
        {
            var plan = Plan(order, others: live);
            var action = Assert.Single(plan.Actions);
            Assert.Equal(ApplyMode.Merge, action.Mode);
            Assert.Equal(SyncActionKind.Update, action.Kind);
            Assert.Empty(plan.Notes);
        }
    }
}
