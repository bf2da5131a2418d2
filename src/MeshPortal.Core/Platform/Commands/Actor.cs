using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Core.Platform.Commands;

/// <summary>
/// The caller of a command: who (for the audit record) and what they may do (their role, and whether they came with a
/// read-only API token). Built once at the edge (an HTTP request or a Blazor circuit) and passed inwards, so every command
/// decides with the same facts whether it is called from a page or from the API.
/// </summary>
public sealed record Actor(AuditContext Who, bool IsAdmin, bool IsTeamMember, bool IsViewer, bool ReadOnly)
{
    /// <summary>The portal itself (start-up, recurring jobs): an admin that writes.</summary>
    public static readonly Actor System = new(AuditContext.System, IsAdmin: true, IsTeamMember: false, IsViewer: false, ReadOnly: false);

    public string? UserId => Who.UserId;

    /// <summary>Ask for a check, a push or a probe now (admins and team members, never a read-only token).</summary>
    public bool MayOperate => !ReadOnly && (IsAdmin || IsTeamMember);

    /// <summary>Platform settings: probe pods, the canary, clusters (admins, never a read-only token).</summary>
    public bool MayAdminister => !ReadOnly && IsAdmin;

    /// <summary>Why a change is refused, in the words every command uses.</summary>
    public string Refusal(string what) => ReadOnly
        ? $"This API token is read-only; use a token that may make changes to {what}."
        : $"You may not {what}: your role does not allow it.";
}
