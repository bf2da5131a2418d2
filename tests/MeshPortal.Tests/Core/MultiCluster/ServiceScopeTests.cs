using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.MultiCluster;

/// <summary>Mesh config serviceSettings: the text edit (only serviceSettings changes) and the planner (read-modify-write with a precondition).</summary>
[Trait("Speed", "Fast")]
public sealed class ServiceScopeTests
{
    private const string InstallMesh = """
        defaultConfig:
          discoveryAddress: istiod.istio-system.svc:15012
          meshId: mesh1
          proxyMetadata:
            ISTIO_META_DNS_CAPTURE: "true"
        rootNamespace: istio-system
        trustDomain: cluster.local
        """;

    [Fact]
    public void Only_service_settings_change_and_every_other_key_keeps_its_value_and_quoting()
    {
        var edit = MeshConfigEditor.With(InstallMesh, null, ["web.bar.svc.cluster.local", "api.shop.svc.cluster.local"]);
        Assert.Null(edit.Problem);
        Assert.Contains("ISTIO_META_DNS_CAPTURE: \"true\"", edit.Mesh, StringComparison.Ordinal);
        Assert.Contains("trustDomain: cluster.local", edit.Mesh, StringComparison.Ordinal);
        Assert.Contains("discoveryAddress: istiod.istio-system.svc:15012", edit.Mesh, StringComparison.Ordinal);
        var text = edit.Mesh!;
        var settings = text[text.IndexOf("serviceSettings:", StringComparison.Ordinal)..];
        Assert.Matches(@"clusterLocal: true\s+hosts:\s+- ['""]\*['""]", settings);
        Assert.Matches(@"clusterLocal: false\s+hosts:\s+- api\.shop\.svc\.cluster\.local\s+- web\.bar\.svc\.cluster\.local", settings);

        // Again with what it wrote: the same text (no churn); with another host list only the list changes.
        var again = MeshConfigEditor.With(edit.Mesh, edit.ServiceSettings, ["web.bar.svc.cluster.local", "api.shop.svc.cluster.local"]);
        Assert.Equal(edit.Mesh, again.Mesh);
        var fewer = MeshConfigEditor.With(edit.Mesh, edit.ServiceSettings, ["web.bar.svc.cluster.local"]);
        Assert.DoesNotContain("api.shop", fewer.Mesh, StringComparison.Ordinal);

        // Off: MeshPortal's entries go, the install's keys stay.
        var off = MeshConfigEditor.Without(fewer.Mesh, fewer.ServiceSettings);
        Assert.DoesNotContain("serviceSettings", off.Mesh, StringComparison.Ordinal);
        Assert.Contains("ISTIO_META_DNS_CAPTURE: \"true\"", off.Mesh, StringComparison.Ordinal);
        Assert.Null(MeshConfigEditor.Without(InstallMesh, null).Mesh); // never written: nothing to remove
    }

    [Fact]
    public void Service_settings_the_install_wrote_are_never_replaced_nor_removed()
    {
        var installs = InstallMesh + "\nserviceSettings:\n- settings:\n    clusterLocal: true\n  hosts:\n  - '*.internal.svc.cluster.local'\n";
        var edit = MeshConfigEditor.With(installs, null, ["web.bar.svc.cluster.local"]);
        Assert.Null(edit.Mesh);
        Assert.Contains("serviceSettings that MeshPortal did not write", edit.Problem, StringComparison.Ordinal);
        Assert.Null(MeshConfigEditor.Without(installs, "- something MeshPortal wrote once\n").Mesh);

        Assert.Contains("not a YAML mapping", MeshConfigEditor.With("- just\n- a list\n", null, []).Problem, StringComparison.Ordinal);
    }

    private static MeshFacts Primary(string id, bool mcs = false) => new() { IstioVersion = "1.24.0", IstioClusterId = id, MeshId = "mesh1", McsServiceDiscovery = mcs, McsCrds = mcs };

    private static ClusterTarget Target(int id, MeshFacts facts) =>
        new(id, $"c{id}", facts.IstioVersion, null, null, null, false, "coredns", null, CacertsDecision.None, "v1.30.0", facts);

    private static LiveObjects Live(ClusterTarget cluster, string mesh, string? ours = null) => new(new Dictionary<ObjectRef, JsonObject?>
    {
        [ServiceScopePlanner.MeshConfigRef(cluster)] = new()
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "istio", ["namespace"] = "istio-system", ["resourceVersion"] = "42",
                ["annotations"] = ours is null ? new JsonObject() : new JsonObject { [ServiceScopePlanner.WrittenAnnotation] = ours },
            },
            ["data"] = new JsonObject { ["mesh"] = mesh },
        },
    });

    [Fact]
    public void The_planner_writes_the_exported_hosts_with_the_read_resource_version_and_leaves_mcs_clusters_alone()
    {
        var consumer = Target(1, Primary("id1"));
        var exporter = Target(2, Primary("id2"));
        var mcs = Target(3, Primary("id3", mcs: true));
        var export = new ExportSpec(7, 2, "bar", "web", "web.bar.global", "240.0.0.7", false, [1], [new ExportPortSpec("http", 8000, "HTTP")]);
        var on = new ExportSnapshot([consumer, exporter, mcs], [export], new ExportPlanSettings(ClusterLocalByDefault: true));

        var planned = new ServiceScopePlanner(on).Plan(consumer, Live(consumer, InstallMesh));
        var configMap = Assert.Single(planned.Objects);
        Assert.Equal((ApplyMode.Merge, "istio"), (configMap.Mode, configMap.Ref.Name));
        Assert.Equal("42", (string?)configMap.Body["metadata"]!["resourceVersion"]);
        Assert.Contains("- web.bar.svc.cluster.local", (string?)configMap.Body["data"]!["mesh"], StringComparison.Ordinal);
        Assert.NotNull(configMap.Body["metadata"]!["annotations"]![ServiceScopePlanner.WrittenAnnotation]);
        Assert.Single(new ServiceScopePlanner(on).Plan(exporter, Live(exporter, InstallMesh)).Objects); // every primary gets the list

        var onMcs = new ServiceScopePlanner(on).Plan(mcs, Live(mcs, InstallMesh));
        Assert.Empty(onMcs.Objects);
        Assert.Contains("MCS discovery", Assert.Single(onMcs.Notes), StringComparison.Ordinal);

        // Never used: the mesh config is not even read, and nothing is written to the install's ConfigMap.
        var never = new ExportSnapshot([consumer, exporter], [export], new ExportPlanSettings());
        Assert.Empty(new ServiceScopePlanner(never).Reads(consumer));
        Assert.Empty(new ServiceScopePlanner(never).Plan(consumer, Live(consumer, InstallMesh)).Objects);
        Assert.Single(new ServiceScopePlanner(on).Reads(consumer));
        var off = new ExportSnapshot([consumer, exporter], [export], new ExportPlanSettings(ServiceScopeUsed: true));
        Assert.Single(new ServiceScopePlanner(off).Reads(consumer));
        Assert.Empty(new ServiceScopePlanner(off).Plan(consumer, Live(consumer, InstallMesh)).Objects);

        // Off after MeshPortal wrote: its entries are removed.
        var written = MeshConfigEditor.With(InstallMesh, null, ["web.bar.svc.cluster.local"]);
        var removal = Assert.Single(new ServiceScopePlanner(off).Plan(consumer, Live(consumer, written.Mesh!, written.ServiceSettings)).Objects);
        Assert.DoesNotContain("serviceSettings", (string?)removal.Body["data"]!["mesh"], StringComparison.Ordinal);

        // The install's own serviceSettings: a note, no write.
        var installs = new ServiceScopePlanner(on).Plan(consumer, Live(consumer, InstallMesh + "\nserviceSettings: []\n"));
        Assert.Empty(installs.Objects);
        Assert.Contains("left alone", Assert.Single(installs.Notes), StringComparison.Ordinal);
    }
}
