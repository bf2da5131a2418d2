namespace MeshPortal.Core.Platform.Audit;

/// <summary>Who did something and from where: captured at the edge (HTTP request or Blazor circuit), passed inwards.</summary>
public sealed record AuditContext(string Actor, string? UserId = null, string? TokenName = null, string? RemoteIp = null, string? UserAgent = null)
{
    /// <summary>Background work started by the portal itself (recurring jobs, start-up).</summary>
    public static readonly AuditContext System = new("system");

    /// <summary>The display form used in histories: "alice" or "alice (token ci)".</summary>
    public string Describe() => TokenName is null ? Actor : $"{Actor} (token {TokenName})";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failed = "failed";
}

/// <summary>
/// What happened. <paramref name="Before"/> and <paramref name="After"/> are serialised to JSON; pass only the fields
/// that matter and never secrets (kubeconfigs, keys, token values, passwords).
/// </summary>
public sealed record AuditEvent(
    string Action,
    string TargetKind,
    string? Target,
    string? Summary = null,
    object? Before = null,
    object? After = null,
    string Outcome = AuditOutcomes.Success);

/// <summary>
/// Records an event that changes no row, in a save of its own: sign-ins, refused or failed attempts, actions whose effect is
/// in a cluster (restarts). A change to stored data stages its record into the change's own save instead
/// (<see cref="AuditLog.Stage"/>, <see cref="AuditLog.ChangeAndStageAsync"/>), so both are stored or neither.
/// </summary>
public interface IAuditLog
{
    Task RecordAsync(AuditContext who, AuditEvent what, CancellationToken ct = default);
}
