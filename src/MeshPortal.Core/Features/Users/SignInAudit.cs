using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Core.Features.Users;

/// <summary>How a password sign-in ended, as far as the audit log is concerned.</summary>
public enum SignInAttempt
{
    Succeeded,
    Failed,
    Locked,
    Throttled,
}

/// <summary>
/// Records a password sign-in (<c>user.sign-in</c>) under the name typed, never the password. The sign-in page decides
/// whether an attempt is audited at all (a throttled flood is audited once per name, client and window).
/// </summary>
public sealed class SignInAudit(IAuditLog audit)
{
    public const string Action = "user.sign-in";

    public static AuditEvent EventOf(string userName, SignInAttempt attempt) => new(Action, "user", userName,
        attempt switch
        {
            SignInAttempt.Succeeded => "Signed in with a password",
            SignInAttempt.Locked => "Sign-in refused: the account is locked by an admin",
            SignInAttempt.Throttled => "Sign-in refused: too many failed sign-ins (further attempts in this window are not audited)",
            _ => "Sign-in failed: wrong user name or password",
        },
        Outcome: attempt switch
        {
            SignInAttempt.Succeeded => AuditOutcomes.Success,
            SignInAttempt.Failed => AuditOutcomes.Failed,
            _ => AuditOutcomes.Denied,
        });

    public Task RecordAsync(AuditContext who, SignInAttempt attempt) => audit.RecordAsync(who, EventOf(who.Actor, attempt), CancellationToken.None);
}
