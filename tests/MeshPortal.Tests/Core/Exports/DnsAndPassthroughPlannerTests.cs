using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using static MeshPortal.Tests.Support.ExportTestData;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class DnsAndPassthroughPlannerTests
{
    private const string Corefile = ".:53 {\n    errors\n    forward . /etc/resolv.conf\n}\n";

    private static LiveObjects CoreDnsLive(string corefile, string image = "coredns/coredns:1.6.7") => new(new Dictionary<ObjectRef, JsonObject?>
    {
        [DnsStubPlanner.CoreDnsConfig] = new JsonObject { ["data"] = new JsonObject { ["Corefile"] = corefile } },
        [DnsStubPlanner.CoreDnsDeployment] = JsonNode.Parse($$$$$"""{"spec":{"template":{"spec":{"containers":[{"name":"coredns","image":"{{{{{image}}}}}"}]}}}}""")!.AsObject(),
    });

    [Fact]
    public void CoreDnsConsumer_GetsTheGlobalBlockMerged_AsAMergeObject()
    {
        var consumer = Cluster(1);
        var planner = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin()));
        Assert.Contains(DnsStubPlanner.CoreDnsConfig, planner.Reads(consumer));
        var dns = Assert.Single(planner.Plan(consumer, CoreDnsLive(Corefile)).Objects);
        Assert.Equal(ApplyMode.Merge, dns.Mode);
        Assert.Equal("dns", dns.Source);
        Assert.Null(dns.Body["metadata"]!["labels"]);
        Assert.Equal(Corefile + CorefileEditor.Block("10.1.0.53", useProxy: false), (string?)dns.Body["data"]!["Corefile"]);
    }

    [Fact]
    public void OldCoreDns_FromTheDeploymentImage_GetsProxy()
    {
        var consumer = Cluster(1);
        var dns = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, CoreDnsLive(Corefile, "k8s.gcr.io/coredns:1.3.1")).Objects.Single();
        Assert.Contains("proxy . 10.1.0.53\n", (string?)dns.Body["data"]!["Corefile"]);
    }

    [Fact]
    public void NoLongerNeeded_EmitsTheCorefileWithOurBlockRemoved_AndNothingWhenAlreadyClean()
    {
        var consumer = Cluster(1);
        var none = new DnsStubPlanner(Snapshot([consumer, Cluster(2)]));
        var withBlock = Corefile + CorefileEditor.Block("10.1.0.53", false);
        Assert.Equal(Corefile, (string?)none.Plan(consumer, CoreDnsLive(withBlock)).Objects.Single().Body["data"]!["Corefile"]);
        Assert.Empty(none.Plan(consumer, CoreDnsLive(Corefile)).Objects);
    }

    [Fact]
    public void DnsProxyingCluster_NeedsNoStubDomain()
    {
        var consumer = Cluster(1, istio: "1.9.0", dnsProxying: true);
        var plan = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, CoreDnsLive(Corefile));
        Assert.Empty(plan.Objects);
        Assert.Contains(plan.Notes, n => n.Contains("DNS capture resolves .global names", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownCorefileSyntax_IsLeftUntouched_WithTheBlockToAddByHand()
    {
        var consumer = Cluster(1);
        var plan = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin()))
            .Plan(consumer, CoreDnsLive(".:53 {\n    forward . {$UPSTREAM}\n}\n"));
        Assert.Empty(plan.Objects);
        var note = Assert.Single(plan.Notes);
        Assert.Contains("left untouched", note);
        Assert.Contains("environment placeholder", note);
        Assert.Contains("global:53 {", note);
    }

    [Fact]
    public void AddonManagerReconciledCoreDns_IsLeftAlone_WithWhatToDo()
    {
        var consumer = Cluster(1);
        var live = CoreDnsLive(Corefile);
        live.Get(DnsStubPlanner.CoreDnsConfig)!["metadata"] = new JsonObject
        {
            ["labels"] = new JsonObject { [DnsStubPlanner.AddonManagerLabel] = "Reconcile" },
        };
        var plan = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, live);
        Assert.Empty(plan.Objects);
        Assert.Contains(plan.Notes, n => n.Contains("add-on manager", StringComparison.Ordinal));
    }

    [Fact]
    public void AksCoreDnsCustom_GetsItsOwnServerKey_AndTheCorefileIsNotTouched()
    {
        var consumer = Cluster(1);
        var live = new LiveObjects(new Dictionary<ObjectRef, JsonObject?>
        {
            [DnsStubPlanner.CoreDnsConfig] = new JsonObject { ["data"] = new JsonObject { ["Corefile"] = ".:53 {\n    import custom/*.override\n}\nimport custom/*.server\n" } },
            [DnsStubPlanner.CoreDnsCustom] = new JsonObject { ["data"] = new JsonObject() },
        });
        var plan = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, live);
        var custom = Assert.Single(plan.Objects);
        Assert.Equal(DnsStubPlanner.CoreDnsCustom, custom.Ref);
        Assert.Equal(ApplyMode.Merge, custom.Mode);
        Assert.Equal(CorefileEditor.Block("10.1.0.53", false), (string?)custom.Body["data"]![DnsStubPlanner.CustomServerKey]);

        var none = new DnsStubPlanner(Snapshot([consumer, Cluster(2)]));
        live.Get(DnsStubPlanner.CoreDnsCustom)!["data"]![DnsStubPlanner.CustomServerKey] = "x";
        var removal = Assert.Single(none.Plan(consumer, live).Objects);
        Assert.Null(removal.Body["data"]![DnsStubPlanner.CustomServerKey]);
    }

    [Fact]
    public void KubeDns_MergesTheGlobalStubDomain_KeepingOthers()
    {
        var consumer = Cluster(1, dnsProvider: "kube-dns");
        var live = new LiveObjects(new Dictionary<ObjectRef, JsonObject?>
        {
            [DnsStubPlanner.KubeDnsConfig] = new JsonObject { ["data"] = new JsonObject { ["stubDomains"] = """{"corp.example":["10.9.9.9"]}""" } },
        });
        var dns = new DnsStubPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, live).Objects.Single();
        Assert.Equal(DnsStubPlanner.KubeDnsConfig, dns.Ref);
        Assert.Equal("""{"corp.example":["10.9.9.9"],"global":["10.1.0.53"]}""", (string?)dns.Body["data"]!["stubDomains"]);
    }

    [Fact]
    public void StubDomainsEditor_RoundTrips_AndRefusesNonObjects()
    {
        Assert.Equal("""{"global":["10.1.0.53"]}""", StubDomainsEditor.WithGlobal(null, "10.1.0.53"));
        Assert.Equal("", StubDomainsEditor.WithoutGlobal("""{"global":["10.1.0.53"]}""", "10.1.0.53"));
        Assert.Equal("""{"a":["1.1.1.1"]}""", StubDomainsEditor.WithoutGlobal("""{"a":["1.1.1.1"],"global":["10.1.0.53"]}""", "10.1.0.53"));
        Assert.Null(StubDomainsEditor.WithGlobal("[1,2]", "10.1.0.53"));
        const string same = """{ "global": ["10.1.0.53"] }""";
        Assert.Same(same, StubDomainsEditor.WithGlobal(same, "10.1.0.53"));
    }

    [Fact]
    public void Passthrough_NothingWhereTheOverlayBringsTheGlobalObjects()
    {
        var exporter = Cluster(2, istio: "1.9.0");
        var consumer = Cluster(1, istio: "1.9.0", dnsProxying: true);
        var snapshot = Snapshot([consumer, exporter], Httpbin());
        Assert.Empty(new PassthroughPlanner(snapshot).Plan(exporter, LiveObjects.Empty).Objects);
        Assert.Empty(new PassthroughPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
    }

    [Fact]
    public void Passthrough_Istio193WithoutTheOverlayObjects_GetsGatewayAndSniRewrite_ConsumerGetsMtlsRule()
    {
        // 1.9.2 deleted the overlay's *.global objects (istio/istio#31736); 1.9.3 predates the CVE-2021-31921 fix (1.9.5).
        var consumer = Cluster(1, istio: "1.9.3", dnsProxying: true, coreDns: "");
        var exporter = Cluster(2, istio: "1.9.3");
        var snapshot = Snapshot([consumer, exporter], Httpbin());
        var exporterObjects = new PassthroughPlanner(snapshot).Plan(exporter, LiveObjects.Empty).Objects;
        Assert.Equal(["Gateway", "EnvoyFilter"], exporterObjects.Select(o => o.Ref.Kind));
        var gateway = exporterObjects[0];
        Assert.Equal("istio-system", gateway.Ref.Namespace);
        var server = gateway.Body["spec"]!["servers"]![0]!;
        Assert.Equal(15443, (int)server["port"]!["number"]!);
        Assert.Equal("AUTO_PASSTHROUGH", (string?)server["tls"]!["mode"]);
        Assert.Equal("*.global", (string?)server["hosts"]![0]);
        Assert.Equal("networking.istio.io/v1alpha3", (string?)exporterObjects[1].Body["apiVersion"]);
        Assert.Contains(".svc.cluster.local", exporterObjects[1].Body["spec"]!.ToJsonString());
        Assert.All(exporterObjects, o => Assert.Equal("passthrough", o.Source));

        var rule = Assert.Single(new PassthroughPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
        Assert.Equal("DestinationRule", rule.Ref.Kind);
    }

    [Theory]
    [InlineData("1.10.0")]
    [InlineData("1.22.1")]
    [InlineData("1.24.0")]
    public void Passthrough_NothingOnReleasesWhereDotGlobalCannotWork_SoEarlierObjectsArePruned(string istio)
    {
        var consumer = Cluster(1, istio: istio, dnsProxying: true);
        var exporter = Cluster(2, istio: istio);
        var snapshot = Snapshot([consumer, exporter], Httpbin());
        Assert.Empty(new PassthroughPlanner(snapshot).Plan(exporter, LiveObjects.Empty).Objects);
        Assert.Empty(new PassthroughPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
        Assert.Empty(new ServiceEntryPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
        Assert.Equal(PairSupport.Unsupported, snapshot.Verdict(snapshot.Exports[0], 1).Support);
    }

    [Fact]
    public void Passthrough_WithTheInsecureLegacyFlag_WritesButSaysItReopensTheCve()
    {
        var consumer = Cluster(1, istio: "1.9.5", dnsProxying: true, coreDns: "");
        var exporter = Cluster(2, istio: "1.9.5", mesh: ExportTestData.Installed("1.9.5", legacyPassthrough: true));
        var snapshot = Snapshot([consumer, exporter], Httpbin());
        var plan = new PassthroughPlanner(snapshot).Plan(exporter, LiveObjects.Empty);
        Assert.Equal(["Gateway", "EnvoyFilter"], plan.Objects.Select(o => o.Ref.Kind));
        Assert.Contains(plan.Notes, n => n.Contains("CVE-2021-31921", StringComparison.Ordinal));
        Assert.True(snapshot.Verdict(snapshot.Exports[0], 1).Insecure);
    }

    [Fact]
    public void ExportPlanner_CombinesTheThreeConcerns()
    {
        var consumer = Cluster(1);
        var planner = new ExportPlanner(Snapshot([consumer, Cluster(2)], Httpbin()));
        var plan = planner.Plan(consumer, CoreDnsLive(Corefile));
        Assert.Equal(["Namespace", "ServiceEntry", "ConfigMap"], plan.Objects.Select(o => o.Ref.Kind));
    }
}
