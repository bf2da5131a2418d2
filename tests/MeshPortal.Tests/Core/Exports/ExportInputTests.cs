using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using k8s.Models;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class ExportInputTests
{
    [Theory]
    [InlineData("http", null, "TCP", "HTTP")]
    [InlineData("http-web", null, "TCP", "HTTP")]
    [InlineData("http2", null, "TCP", "HTTP2")]
    [InlineData("grpc-api", null, "TCP", "GRPC")]
    [InlineData("grpc-web", null, "TCP", "GRPC-Web")]
    [InlineData("https", null, "TCP", "HTTPS")]
    [InlineData("tls-x", null, "TCP", "TLS")]
    [InlineData("tcp-db", null, "TCP", "TCP")]
    [InlineData("mongo", null, "TCP", "Mongo")]
    [InlineData("HTTP", null, "TCP", "HTTP")]
    [InlineData("web", "http", "TCP", "HTTP")]
    [InlineData("web", "kubernetes.io/h2c", "TCP", "HTTP2")]
    [InlineData("http1", null, "TCP", "TCP")]
    [InlineData(null, null, "TCP", "TCP")]
    [InlineData("dns", null, "UDP", "UDP")]
    public void Protocol_IsDerivedLikeIstio(string? name, string? appProtocol, string transport, string expected) =>
        Assert.Equal(expected, IstioProtocol.Of(name, appProtocol, transport));

    [Fact]
    public void Ports_DefaultToAllOfTheService_WithNames()
    {
        var service = new V1Service { Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 9000, Name = "grpc" }, new V1ServicePort { Port = 8000, Name = "http" }, new V1ServicePort { Port = 7000 }] } };
        var ports = ExportPorts.Of(service);
        Assert.Equal(["tcp-7000", "http", "grpc"], ports.Select(p => p.Name));
        var (all, error) = ExportPorts.Select(ports, null, "bar/x");
        Assert.Null(error);
        Assert.Equal([7000, 8000, 9000], all.Select(p => p.Number));
        var (one, _) = ExportPorts.Select(ports, [8000], "bar/x");
        Assert.Equal(new ExportPortSpec("http", 8000, "HTTP"), Assert.Single(one));
    }

    [Theory]
    [InlineData(new[] { 8001 }, "Port 8001 is not on service bar/x; it has 8000 (http)")]
    [InlineData(new[] { 0 }, "Port 0 is out of range")]
    [InlineData(new[] { 70000, -1 }, "Ports 70000, -1 are out of range")]
    [InlineData(new int[0], "at least one port")]
    public void Ports_BadSelections_SaySpecificallyWhy(int[] requested, string expected)
    {
        var ports = ExportPorts.Of(new V1Service { Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8000, Name = "http" }] } });
        var (_, error) = ExportPorts.Select(ports, requested, "bar/x");
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("Cluster_2", "bar", "httpbin", null, "cluster")]
    [InlineData("cluster-2", "Bar", "httpbin", null, "namespace")]
    [InlineData("cluster-2", "bar", "", null, "service")]
    [InlineData("cluster-2", "bar", "httpbin.x", null, "service")]
    [InlineData("cluster-2", "bar", "httpbin", "cluster-2", "consumers")]
    [InlineData("cluster-2", "bar", "httpbin", "Not_Valid", "consumers")]
    public void Request_BadNames_AreFieldErrors(string cluster, string ns, string svc, string? consumer, string field)
    {
        var errors = ExportValidator.Validate(new ExportRequest(cluster, ns, svc, null, consumer is null ? null : [consumer]));
        Assert.True(errors.ContainsKey(field), string.Join(" | ", errors.Keys));
    }

    [Fact]
    public void PlanDiff_ShowsCreateUpdateDelete_AndLeavesMergeObjectsAlone()
    {
        var consumer = ExportTestData.Cluster(1);
        var snapshot = ExportTestData.Snapshot([consumer, ExportTestData.Cluster(2)], ExportTestData.Httpbin());
        var plan = new ServiceEntryPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects;
        var created = PlanDiff.Compare([], plan);
        Assert.Equal([ChangeAction.Create, ChangeAction.Create], created.Select(c => c.Action));
        Assert.Contains(created, c => c.Diff.Contains("+   - 240.0.0.2") || c.Diff.Any(l => l.StartsWith("+ ") && l.Contains("240.0.0.2")));

        var moved = new ServiceEntryPlanner(snapshot with { Exports = [ExportTestData.Httpbin() with { Address = "240.0.0.9" }] }).Plan(consumer, LiveObjects.Empty).Objects;
        var update = Assert.Single(PlanDiff.Compare(plan, moved));
        Assert.Equal(ChangeAction.Update, update.Action);
        Assert.Contains(update.Diff, l => l.StartsWith("- ") && l.Contains("240.0.0.2"));
        Assert.Contains(update.Diff, l => l.StartsWith("+ ") && l.Contains("240.0.0.9"));

        var deleted = PlanDiff.Compare(plan, []);
        Assert.Equal("ServiceEntry", Assert.Single(deleted).Kind); // the CreateOnly namespace stays
        Assert.Equal(ChangeAction.Delete, deleted[0].Action);
    }
}
