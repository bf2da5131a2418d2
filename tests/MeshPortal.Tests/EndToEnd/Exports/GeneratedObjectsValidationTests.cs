using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.ExportTestData;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Every object the export planners generate is accepted by the simulator's validation (the published ServiceEntry schema
/// plus istiod's webhook rules) for Istio 1.6, 1.10 and 1.22, and nothing is pruned from the spec on the way in.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class GeneratedObjectsValidationTests : IAsyncLifetime
{
    private SimulatedMesh mesh = null!;

    public async Task InitializeAsync() => mesh = await SimulatedMesh.StartAsync(new SimulatorOptions
    {
        Clusters = 0,
        AdminEndpoint = false,
        ClusterOverrides =
        [
            new SimulatedClusterOptions { Name = "istio-16" },
            new SimulatedClusterOptions { Name = "istio-110", IstioVersion = "1.10.0" },
            new SimulatedClusterOptions { Name = "istio-122", IstioVersion = "1.22.0" },
        ],
    });

    public async Task DisposeAsync() => await mesh.DisposeAsync();

    [Theory]
    [InlineData("istio-16", "1.6.8")]
    [InlineData("istio-110", "1.10.0")]
    [InlineData("istio-122", "1.22.0")]
    public void GeneratedObjects_AreValid_AndStoredUnchanged(string simulated, string istio)
    {
        var consumer = Cluster(1, istio);
        var exporter = Cluster(2, istio);
        var exports = new[]
        {
            Httpbin(),
            new ExportSpec(2, 2, "shop", "orders", "orders.shop.global", "240.0.0.3", false, [1],
                [new("http", 8000, "HTTP"), new("grpc-api", 9000, "GRPC"), new("tcp-db", 5432, "TCP"), new("https", 8443, "HTTPS")]),
        };
        // The builders directly: whether the .global model may carry a pair is decided elsewhere (GlobalModelRules); here
        // every object MeshPortal can generate for this Istio version must pass its schema and webhook unchanged.
        var settings = new ExportPlanSettings();
        var objects = new List<DesiredObject> { ServiceEntryPlanner.Namespace(settings.Namespace) };
        objects.AddRange(exports.Select(e => ServiceEntryBuilder.Build(e, exporter, consumer, settings)));
        objects.AddRange(exports.Select(e => ServiceEntryBuilder.Build(e, exporter, consumer, settings with { StaticWhenIp = true }))
            .Select(o => o with { Body = Renamed(o.Body, "-static") }));
        if (istio != "1.6.8")
        {
            // The *.global passthrough objects are written only on 1.8–1.18 (before 1.8 the overlay brings them).
            objects.AddRange([PassthroughPlanner.Gateway(istio), PassthroughPlanner.DestinationRule(istio)]);
        }

        Assert.Equal(5, objects.Count(o => o.Ref.Kind == "ServiceEntry") + objects.Count(o => o.Ref.Kind == "Namespace"));

        var cluster = mesh[simulated];
        foreach (var desired in objects)
        {
            var stored = cluster.Put(desired.Body.DeepClone().AsObject());
            if (desired.Body["spec"] is { } spec)
            {
                Assert.True(JsonNode.DeepEquals(spec, stored["spec"]), $"{desired.Ref} was changed on the way in:\n{spec.ToJsonString()}\n{stored["spec"]!.ToJsonString()}");
            }
        }
    }

    [Fact]
    public void InvalidServiceEntry_IsRejectedBySimulator_SoTheCheckAboveIsReal()
    {
        var consumer = Cluster(1);
        var se = new ServiceEntryPlanner(Snapshot([consumer, Cluster(2)], Httpbin())).Plan(consumer, LiveObjects.Empty).Objects
            .Single(o => o.Ref.Kind == "ServiceEntry").Body.DeepClone().AsObject();
        mesh["istio-16"].Put(ServiceEntryPlanner.Namespace("meshportal-exports").Body.DeepClone().AsObject());
        se["spec"]!["endpoints"]![0]!["ports"] = new JsonObject { ["not-a-port-name"] = 15443 };
        Assert.Throws<InvalidOperationException>(() => mesh["istio-16"].Put(se));
    }

    private static JsonObject Renamed(JsonObject body, string suffix)
    {
        var copy = body.DeepClone().AsObject();
        copy["metadata"]!["name"] = (string)copy["metadata"]!["name"]! + suffix;
        return copy;
    }
}
