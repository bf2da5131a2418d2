using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Web.Api;

/// <summary>POST /api/v1/exports body. No ports = all of the service's ports; no consumers = every other registered cluster.</summary>
public sealed record CreateExportRequest(string? Cluster, string? Namespace, string? Service, List<int>? Ports, List<string>? Consumers, string? Team = null);

/// <summary>PUT /api/v1/exports/{id}/team body: the name of the team that owns the export from now on (null: no team).</summary>
public sealed record MoveExportRequest(string? Team);

/// <summary>PUT /api/v1/exports/{id} body. Omitted fields keep their value; allConsumers true = every other cluster.</summary>
public sealed record UpdateExportRequest(List<int>? Ports, List<string>? Consumers, bool? AllConsumers);

public sealed record ExportPortDto(string Name, int Number, string Protocol);

public sealed record ExportConsumerDto(string Cluster, string State, string? Message, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSyncedAt);

/// <summary>The name one consumer calls (null where nothing is pushed) and the model of the pair: global, multi-primary or none.</summary>
public sealed record ExportConsumerNameDto(string Cluster, string? Host, string Model);

public sealed record ExportDto(
    int Id,
    string Cluster,
    string Namespace,
    string Service,
    string Host,
    string Address,
    bool AllConsumers,
    IReadOnlyList<ExportPortDto> Ports,
    IReadOnlyList<ExportConsumerDto> Consumers,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? Team,
    IReadOnlyList<ExportConsumerNameDto> ConsumerNames,
    IReadOnlyList<string> SourceClusters,
    string? ConsumersMean,
    ExportMoveDto? Move)
{
    public static ExportDto From(ExportView e) => new(
        e.Id, e.Cluster, e.Namespace, e.Service, e.Host, e.Address, e.AllConsumers,
        [.. e.Ports.Select(p => new ExportPortDto(p.Name, p.Number, p.Protocol))],
        [.. e.Consumers.Select(c => new ExportConsumerDto(c.Cluster, c.State.ToString(), c.Message, c.LastAttemptAt, c.LastSyncedAt))],
        e.CreatedBy, e.CreatedAt, e.UpdatedAt, e.OwnerTeam,
        [.. (e.Naming?.Names ?? []).Select(n => new ExportConsumerNameDto(n.Cluster, n.Host, n.Model))],
        e.Naming?.Sources ?? [e.Cluster],
        e.Naming?.ConsumersMean,
        e.Move is null ? null : ExportMoveDto.From(e.Move));
}

/// <summary>
/// The move from .global to multi-primary: phase (None, Moving, Moved), whether POST …/move is offered now (reason says why or why
/// not), the consumers it changes, when it started and finished, what it last saw, and the name each of those consumers calls after it.
/// </summary>
public sealed record ExportMoveDto(string Phase, bool Offered, string Reason, IReadOnlyList<string> Consumers, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Note, IReadOnlyList<ExportConsumerNameDto> NewNames)
{
    public static ExportMoveDto From(ExportMoveView m) => new(m.Phase.ToString(), m.Offered, m.Reason, m.Consumers, m.StartedAt, m.FinishedAt, m.Note,
        [.. m.NewNames.Select(n => new ExportConsumerNameDto(n.Cluster, n.Host, n.Model))]);
}

/// <summary>GET|PUT /api/v1/settings/service-scope: true = only exported services leave their cluster.</summary>
public sealed record ServiceScopeDto(bool ClusterLocalByDefault);
