using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

/// <summary>A new export. No <see cref="Ports"/> = every port of the service; no <see cref="Consumers"/> = every other registered cluster.</summary>
public sealed record ExportRequest(string? Cluster, string? Namespace, string? Service, IReadOnlyList<int>? Ports, IReadOnlyList<string>? Consumers)
{
    /// <summary>The owning team, decided by the caller's authorization (see <c>ExportAccess.ChooseOwner</c>).</summary>
    public int? OwnerTeamId { get; init; }

    /// <summary>The local user id of the creator.</summary>
    public string? CreatedByUserId { get; init; }
}

/// <summary>
/// An edit. <see cref="Ports"/> null keeps the ports (empty is an error); <see cref="AllConsumers"/> true switches to every
/// other cluster; otherwise a non-null <see cref="Consumers"/> replaces the consumer set; both null keep it.
/// </summary>
public sealed record ExportChange(IReadOnlyList<int>? Ports, IReadOnlyList<string>? Consumers, bool? AllConsumers = null);

public enum ExportFailureKind
{
    /// <summary>Bad input: a name, port, consumer or service that does not fit (400).</summary>
    Invalid,

    /// <summary>No such export (404).</summary>
    NotFound,

    /// <summary>A duplicate export or an exhausted VIP range (409).</summary>
    Conflict,

    /// <summary>The exporting cluster could not be asked about the service (503).</summary>
    Unavailable,

    /// <summary>The caller may see the export but not change it, or may not export from that namespace (403).</summary>
    Forbidden,
}

/// <summary>The outcome of a create, edit or delete: the export, or field errors and nothing saved.</summary>
public sealed record ExportSaveResult(ExportView? Export, ExportFailureKind? Failure, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Failure is null;

    public static ExportSaveResult Ok(ExportView? export) => new(export, null, new Dictionary<string, string[]>());

    public static ExportSaveResult Fail(ExportFailureKind kind, string field, string message) =>
        new(null, kind, new Dictionary<string, string[]> { [field] = [message] });

    public static ExportSaveResult Fail(ExportFailureKind kind, Dictionary<string, string[]> errors) => new(null, kind, errors);
}

/// <summary>Whether one consumer cluster has the export's configuration.</summary>
public sealed record ConsumerStatus(string Cluster, ObjectSyncState State, string? Message, DateTimeOffset? LastAttemptAt, DateTimeOffset? LastSyncedAt);

/// <summary>An export as pages and the API show it.</summary>
public sealed record ExportView(
    int Id,
    string Cluster,
    string Namespace,
    string Service,
    string Host,
    string Address,
    bool AllConsumers,
    IReadOnlyList<ExportPortSpec> Ports,
    IReadOnlyList<ConsumerStatus> Consumers,
    string? CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int? OwnerTeamId = null,
    string? OwnerTeam = null,
    ExportNaming? Naming = null,
    ExportMoveView? Move = null);

/// <summary>
/// The move to multi-primary as the export page and the API show it: the phase, whether the action is offered (and why not),
/// the consumers it changes, what it last saw, and the names the app team calls once it is done.
/// </summary>
public sealed record ExportMoveView(
    ExportMovePhase Phase,
    bool Offered,
    string Reason,
    IReadOnlyList<string> Consumers,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Note,
    IReadOnlyList<ConsumerName> NewNames);

/// <summary>A port of a live Service, for the picker and for deriving the exported ports.</summary>
public sealed record ServicePortInfo(string Name, int Number, string Protocol, string Transport);

/// <summary>A live Service of a cluster, for the picker.</summary>
public sealed record ServiceInfo(string Namespace, string Name, IReadOnlyList<ServicePortInfo> Ports);
