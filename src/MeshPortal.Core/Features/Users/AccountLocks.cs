using MeshPortal.Core.Platform.Persistence;

namespace MeshPortal.Core.Features.Users;

/// <summary>Account locks: only an admin locks an account (until unlocked); failed sign-ins never do.</summary>
public static class AccountLocks
{
    /// <summary>What an admin's lock writes to <c>LockoutEnd</c>.</summary>
    public static readonly DateTimeOffset AdminLockEnd = DateTimeOffset.MaxValue;

    /// <summary>True for an admin lock; a time-limited lockout (from an older version's failed sign-ins) is not one.</summary>
    public static bool IsLockedByAdmin(PortalUser user) => user.LockoutEnd is { } end && end >= AdminLockEnd.AddDays(-1);
}
