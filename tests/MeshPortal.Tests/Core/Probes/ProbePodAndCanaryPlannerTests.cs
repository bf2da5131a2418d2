using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Probes;

[Trait("Speed", "Fast")]
public sealed class ProbePodAndCanaryPlannerTests
{
    private static ClusterTarget Target(int id, string name) => new(id, name, "1.6.0", "203.0.113.1", 15443, null, false, "coredns", null, default);

    [Fact]
    public void Own_probe_pod_is_an_injected_namespace_and_a_curl_pod_only_where_asked()
    {
        var planner = new ProbePodPlanner(new HashSet<int> { 2 });
        Assert.Empty(planner.Plan(Target(1, "one"), LiveObjects.Empty).Objects);

        var objects = planner.Plan(Target(2, "two"), LiveObjects.Empty).Objects;
        Assert.Equal(2, objects.Count);
        var ns = Assert.Single(objects, o => o.Ref.Kind == "Namespace");
        Assert.Equal(ProbePod.Namespace, ns.Ref.Name);
        Assert.Null(ns.Ref.Namespace);
        Assert.Equal("enabled", (string?)ns.Body["metadata"]!["labels"]!["istio-injection"]);
        var pod = Assert.Single(objects, o => o.Ref.Kind == "Pod");
        Assert.Equal((ProbePod.Namespace, ProbePod.Name), (pod.Ref.Namespace, pod.Ref.Name));
        Assert.All(objects, o => Assert.Equal(ApplyMode.Owned, o.Mode));
        Assert.All(objects, o => Assert.Equal(ProbePod.Source, o.Source));
        Assert.Equal(ProbePod.Name, (string?)pod.Body["metadata"]!["labels"]![ProbePod.AppLabel]);
        var container = pod.Body["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal(ProbePod.Container, (string?)container["name"]);
        Assert.Contains("curl", (string?)container["image"]);
    }

    [Fact]
    public void Probe_pod_choice_own_pod_wins_then_cluster_fields_then_configuration()
    {
        var options = new ProbeOptions();
        options.Clusters["conf"] = new ProbePodOptions { Namespace = "tools", Container = "c" };
        ClusterEntity Cluster(string name, string? ns = null, string? sel = null, bool own = false) =>
            new() { Name = name, Context = name, ProtectedKubeconfig = "", Server = "", ProbeNamespace = ns, ProbeLabelSelector = sel, ProbeOwnPod = own };

        Assert.Equal(new ProbePodChoice("foo", "app=sleep", null, false), ProbePodChoice.For(Cluster("a"), options));
        Assert.Equal(new ProbePodChoice("tools", "app=sleep", "c", false), ProbePodChoice.For(Cluster("conf"), options));
        Assert.Equal(new ProbePodChoice("ops", "app=probe", "c", false), ProbePodChoice.For(Cluster("conf", "ops", "app=probe"), options));
        Assert.Equal(new ProbePodChoice(ProbePod.Namespace, ProbePod.LabelSelector, ProbePod.Container, true),
            ProbePodChoice.For(Cluster("conf", "ops", "app=probe", own: true), options));
    }

    [Theory]
    [InlineData("foo", "app=sleep", true)]
    [InlineData(null, null, true)]
    [InlineData("", " ", true)]
    [InlineData("Foo", null, false)]
    [InlineData("foo", "app", false)]
    [InlineData("foo", "app=sleep,tier=probe", true)]
    [InlineData("foo", "app=sleep; rm -rf /", false)]
    public void Probe_pod_request_validation(string? ns, string? selector, bool valid)
    {
        Assert.Equal(valid, ProbePodSettings.Validate(new ProbePodRequest(ns, selector, false)).Count == 0);
    }

    [Fact]
    public void Canary_on_gives_every_cluster_its_namespace_service_and_httpbin_pod_and_off_gives_nothing()
    {
        Assert.Empty(new CanaryPlanner(false).Plan(Target(1, "one"), LiveObjects.Empty).Objects);

        var objects = new CanaryPlanner(true).Plan(Target(1, "one"), LiveObjects.Empty).Objects;
        Assert.Equal(["Namespace", "Service", "Pod"], objects.Select(o => o.Ref.Kind));
        var service = objects[1];
        Assert.Equal(("meshportal-canary", "canary-one"), (service.Ref.Namespace, service.Ref.Name));
        Assert.Equal("canary-one.meshportal-canary.global", CanaryNames.Host("one"));
        var port = service.Body["spec"]!["ports"]![0]!;
        Assert.Equal(8000, (int)port["port"]!);
        Assert.Equal("meshportal-canary", (string?)service.Body["spec"]!["selector"]!["app"]);
        Assert.Equal("meshportal-canary", (string?)objects[2].Body["metadata"]!["labels"]!["app"]);
        Assert.All(objects, o => Assert.Equal(ApplyMode.Owned, o.Mode));
        Assert.True(CanaryNames.Service(new string('x', 63)).Length <= 63);

        // Istio's own sample image (multi-arch), listening on 8080; the image is configurable for air-gapped registries.
        var container = objects[2].Body["spec"]!["containers"]![0]!;
        Assert.Equal("docker.io/mccutchen/go-httpbin:v2.15.0", (string?)container["image"]);
        Assert.Equal(8080, (int)port["targetPort"]!);
        Assert.Equal(8080, (int)container["ports"]![0]!["containerPort"]!);
        var mirrored = new CanaryPlanner(true, "registry.internal:5000/mirror/go-httpbin:v2.15.0").Plan(Target(1, "one"), LiveObjects.Empty).Objects;
        Assert.Equal("registry.internal:5000/mirror/go-httpbin:v2.15.0", (string?)mirrored[2].Body["spec"]!["containers"]![0]!["image"]);
    }

    [Theory]
    [InlineData("docker.io/mccutchen/go-httpbin:v2.15.0", true)]
    [InlineData("registry.internal:5000/mirror/curl:8.11.0", true)]
    [InlineData("curlimages/curl@sha256:0000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("curl", true)]
    [InlineData("", false)]
    [InlineData("has space/curl:1", false)]
    [InlineData("UPPER/curl:1", false)]
    [InlineData("curl:", false)]
    public void Image_references_are_checked(string image, bool valid) => Assert.Equal(valid, ImageReference.IsValid(image));

    [Fact]
    public void Owned_pod_in_sync_when_the_cluster_added_a_sidecar_but_not_when_a_desired_container_changed()
    {
        var desired = new DesiredObject(ProbePod.PodRef(ProbePod.Namespace, ProbePod.Name), ProbePod.Body(), ProbePod.Source);
        var (stamped, hash) = SyncDiffer.Stamp(desired);
        var live = (JsonObject)stamped.Body.DeepClone();
        live["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "istio-proxy", ["image"] = "proxyv2" });
        var liveObject = new LiveManagedObject(desired.Ref, live);
        Assert.Equal(hash, liveObject.DesiredHash);

        var plan = SyncDiffer.Plan([desired], [liveObject], LiveObjects.Empty, []);
        Assert.Equal(SyncActionKind.NoOp, Assert.Single(plan.Actions).Kind);

        live["spec"]!["containers"]![0]!["image"] = "busybox";
        plan = SyncDiffer.Plan([desired], [liveObject], LiveObjects.Empty, []);
        var update = Assert.Single(plan.Actions);
        Assert.Equal(SyncActionKind.Update, update.Kind);
        Assert.Contains("containers[name=curl]", update.Reason);
    }
}
