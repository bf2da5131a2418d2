namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Pure estimate of how long issuing intermediates takes on this machine, to decide between issuing on the request
/// and a background job: RSA 4096 key generation costs about 1.5 s per key and core here (prime search,
/// highly variable), ECDSA P-256 about a millisecond.
/// </summary>
public static class IssueCost
{
    public static TimeSpan PerKey(string keyType) => keyType.StartsWith("Rsa", StringComparison.Ordinal)
        ? TimeSpan.FromMilliseconds(1500)
        : TimeSpan.FromMilliseconds(2);

    public static TimeSpan Estimate(string keyType, int count, int cores) =>
        count <= 0 ? TimeSpan.Zero : PerKey(keyType) * Math.Ceiling(count / (double)Math.Max(1, Math.Min(cores, count)));

    /// <summary>True when the work should not run on a request thread.</summary>
    public static bool RunInBackground(string keyType, int count, int cores, TimeSpan inlineBudget) =>
        Estimate(keyType, count, cores) > inlineBudget;
}
