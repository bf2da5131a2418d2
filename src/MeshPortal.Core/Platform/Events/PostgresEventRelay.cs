using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MeshPortal.Core.Platform.Events;

/// <summary>
/// Several replicas on PostgreSQL: passes cluster and probe events between processes with LISTEN/NOTIFY, so a push, check
/// or probe that a job ran on one replica refreshes the open pages of users connected to another. Events raised here are
/// sent; events from other processes are delivered locally only (never sent again). Losing the connection only delays
/// live updates: the listener reconnects with back-off and pages still show the stored state on their next refresh.
/// </summary>
public sealed class PostgresEventRelay(string connectionString, ClusterEvents clusters, ProbeEvents probes, ILogger<PostgresEventRelay> logger)
    : BackgroundService
{
    public const string Channel = "meshportal_events";

    private readonly Channel<RelayMessage> outgoing = System.Threading.Channels.Channel.CreateBounded<RelayMessage>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>This process's identity in relayed messages.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Set once the listener has subscribed (tests wait on it).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        void OnCluster(string name) => outgoing.Writer.TryWrite(new RelayMessage(Origin, RelayMessage.ClusterKind, name));
        void OnProbe(string name) => outgoing.Writer.TryWrite(new RelayMessage(Origin, RelayMessage.ProbeKind, name));
        clusters.Outgoing += OnCluster;
        probes.Outgoing += OnProbe;
        try
        {
            await Task.WhenAll(SendAsync(stoppingToken), ListenAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            clusters.Outgoing -= OnCluster;
            probes.Outgoing -= OnProbe;
        }
    }

    private async Task SendAsync(CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await foreach (var message in outgoing.Reader.ReadAllAsync(ct))
        {
            if (message.Format() is not { } payload)
            {
                continue;
            }

            try
            {
                await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", payload);
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not relay a {Kind} event for {Key} to other replicas; their pages update at their next refresh", message.Kind, message.Key);
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                Listening.TrySetResult();
                backoff = TimeSpan.FromSeconds(1);
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                logger.LogWarning(ex, "Listening for other replicas' events failed; retrying in {Delay}", backoff);
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromSeconds(Math.Min(30, backoff.TotalSeconds * 2));
            }
        }
    }

    private void Deliver(string payload)
    {
        switch (RelayMessage.FromOther(payload, Origin))
        {
            case { Kind: RelayMessage.ClusterKind } m:
                clusters.PublishLocal(m.Key);
                break;
            case { Kind: RelayMessage.ProbeKind } m:
                probes.PublishLocal(m.Key);
                break;
        }
    }
}
