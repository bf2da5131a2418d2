using MeshPortal.Core.Platform.Events;
using MeshPortal.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>Two relays on one real PostgreSQL stand for two replicas: events cross over once and never echo back.</summary>
[Collection("postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class EventRelayTests(PostgresServer server)
{
    private static Task Until(Func<bool> condition, string what) =>
        Eventually.ReturnsAsync(() => Task.FromResult(condition()), ok => ok, what);

    [PostgresFact]
    public async Task Events_raised_on_one_replica_reach_the_other_and_are_not_echoed()
    {
        var connection = await server.CreateDatabaseAsync();
        var (clustersA, probesA, clustersB, probesB) = (new ClusterEvents(), new ProbeEvents(), new ClusterEvents(), new ProbeEvents());
        var relayA = new PostgresEventRelay(connection, clustersA, probesA, NullLogger<PostgresEventRelay>.Instance);
        var relayB = new PostgresEventRelay(connection, clustersB, probesB, NullLogger<PostgresEventRelay>.Instance);
        var seenOnA = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var seenOnB = new System.Collections.Concurrent.ConcurrentQueue<string>();
        clustersA.Changed += name => seenOnA.Enqueue("cluster:" + name);
        probesA.Changed += name => seenOnA.Enqueue("probe:" + name);
        clustersB.Changed += name => seenOnB.Enqueue("cluster:" + name);
        probesB.Changed += name => seenOnB.Enqueue("probe:" + name);

        await relayA.StartAsync(CancellationToken.None);
        await relayB.StartAsync(CancellationToken.None);
        try
        {
            await relayA.Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await relayB.Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

            clustersA.Publish("cluster-1");
            probesB.Publish("cluster-2");

            await Until(() => seenOnB.Contains("cluster:cluster-1") && seenOnA.Contains("probe:cluster-2"), "each replica to receive the other's event");
            // Markers sent after the events: once each side has the other's marker, every earlier notification (and any
            // echo of its own events, which the relay must drop) has been delivered, so the lists below are final.
            clustersA.Publish("marker-a");
            clustersB.Publish("marker-b");
            await Until(() => seenOnA.Contains("cluster:marker-b") && seenOnB.Contains("cluster:marker-a"), "the markers to arrive");

            string[] expected = ["cluster:cluster-1", "cluster:marker-a", "cluster:marker-b", "probe:cluster-2"];
            Assert.Equal(expected, seenOnA.Order().ToArray());
            Assert.Equal(expected, seenOnB.Order().ToArray());
        }
        finally
        {
            await relayA.StopAsync(CancellationToken.None);
            await relayB.StopAsync(CancellationToken.None);
        }
    }
}
