namespace MeshPortal.Web.Components.Shared;

/// <summary>The expiry choices of the token forms: days from now, 0 for never.</summary>
public static class ExpiryChoice
{
    public static readonly IReadOnlyList<(int Days, string Label)> Options =
        [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year"), (0, "never")];

    /// <summary>For personal API tokens, which always expire.</summary>
    public static readonly IReadOnlyList<(int Days, string Label)> Bounded = [.. Options.Where(o => o.Days > 0)];

    public static DateTimeOffset? From(int days, DateTimeOffset now) => days > 0 ? now.AddDays(days) : null;

    public static string Describe(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm") ?? "—";
}
