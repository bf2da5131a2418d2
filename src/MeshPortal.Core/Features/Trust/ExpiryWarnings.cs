namespace MeshPortal.Core.Features.Trust;

public enum ExpirySeverity
{
    Ok,

    /// <summary>Within the first (largest) warning threshold, 60 days by default.</summary>
    Notice,

    /// <summary>Within the second threshold, 30 days by default.</summary>
    Warning,

    /// <summary>Within the last threshold, 7 days by default.</summary>
    Critical,

    Expired,
}

/// <summary>How close a certificate is to its not-after, against the configured thresholds (60/30/7 days).</summary>
public sealed record ExpiryStatus(ExpirySeverity Severity, int DaysLeft, int? ThresholdDays)
{
    public bool NeedsAttention => Severity != ExpirySeverity.Ok;

    public string Describe(string what) => Severity switch
    {
        ExpirySeverity.Expired => $"{what} expired {-DaysLeft} day(s) ago.",
        ExpirySeverity.Ok => $"{what} is valid for {DaysLeft} more days.",
        _ => $"{what} expires in {DaysLeft} day(s) (less than {ThresholdDays} days left).",
    };
}

public static class ExpiryWarnings
{
    /// <summary>Pure: the severity of a not-after at <paramref name="now"/> for thresholds like [60, 30, 7].</summary>
    public static ExpiryStatus Evaluate(DateTimeOffset notAfter, DateTimeOffset now, IReadOnlyList<int> thresholds)
    {
        var left = notAfter - now;
        var days = (int)Math.Floor(left.TotalDays);
        if (left <= TimeSpan.Zero)
        {
            return new ExpiryStatus(ExpirySeverity.Expired, days, null);
        }

        var ordered = thresholds.Where(t => t > 0).Distinct().OrderByDescending(t => t).ToList();
        int? hit = null;
        var index = -1;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (left.TotalDays <= ordered[i])
            {
                hit = ordered[i];
                index = i;
            }
        }

        var severity = index switch
        {
            < 0 => ExpirySeverity.Ok,
            0 when ordered.Count > 1 => ExpirySeverity.Notice,
            _ when index == ordered.Count - 1 => ExpirySeverity.Critical,
            _ => ExpirySeverity.Warning,
        };
        return new ExpiryStatus(severity, days, hit);
    }
}
