using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Web.Auth;

public enum SignInOutcome
{
    Succeeded,

    /// <summary>Unknown name or wrong password: one answer for both.</summary>
    Failed,

    /// <summary>Too many failures for this name or from this client: refused without checking the password.</summary>
    Throttled,

    /// <summary>Right password, but an admin locked the account.</summary>
    Locked,
}

/// <summary>What the sign-in form shows and audits for an outcome.</summary>
public sealed record PasswordSignInResult(SignInOutcome Outcome, bool Audit)
{
    public string Message => Outcome switch
    {
        SignInOutcome.Throttled => "Too many failed sign-ins. Wait a few minutes, then try again.",
        SignInOutcome.Locked => "This account is locked by an admin. Ask an admin to unlock it.",
        _ => "Wrong user name or password.",
    };
}

/// <summary>
/// Password sign-in without account lockout: failures are throttled per user name and per client (<see cref="SignInThrottle"/>),
/// an unknown name costs one password hash like a known one (uniform answer and timing), and only an admin lock refuses a
/// right password. Nothing an anonymous caller does changes the account, so its API tokens keep working.
/// </summary>
public sealed class PasswordSignIn(
    SignInManager<PortalUser> signIn,
    UserManager<PortalUser> users,
    IPasswordHasher<PortalUser> hasher,
    SignInThrottle throttle,
    TimeProvider clock)
{
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<PortalUser>().HashPassword(new PortalUser(), Guid.NewGuid().ToString("N")));

    public async Task<PasswordSignInResult> SignInAsync(string userName, string password, string? client)
    {
        if (throttle.ThrottledUntil(userName, client) is not null)
        {
            return new PasswordSignInResult(SignInOutcome.Throttled, throttle.FirstRefusal(userName, client));
        }

        var user = await users.FindByNameAsync(userName.Trim());
        bool passwordOk;
        if (user?.PasswordHash is null)
        {
            // The same work as a real check, so response times do not tell which names exist.
            hasher.VerifyHashedPassword(user ?? new PortalUser(), DummyHash.Value, password);
            passwordOk = false;
        }
        else
        {
            passwordOk = hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        }

        if (!passwordOk || user is null)
        {
            throttle.RecordFailure(userName, client);
            return new PasswordSignInResult(SignInOutcome.Failed, Audit: true);
        }

        if (user.LockoutEnd is { } end && end > clock.GetUtcNow())
        {
            return new PasswordSignInResult(SignInOutcome.Locked, Audit: true);
        }

        throttle.RecordSuccess(userName);
        await signIn.SignInAsync(user, isPersistent: false);
        return new PasswordSignInResult(SignInOutcome.Succeeded, Audit: true);
    }
}
