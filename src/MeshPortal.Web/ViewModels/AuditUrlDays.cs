using System.Globalization;

namespace MeshPortal.Web.ViewModels;

/// <summary>
/// The Audit page's days in its address (<c>?from=2026-12-01&amp;to=2026-12-07</c>): parsed strictly as yyyy-MM-dd (a bad
/// one is reported and not applied), written back the same way, and turned into the UTC range the filter uses (the "to"
/// day is inclusive: the range ends at the start of the next day).
/// </summary>
public static class AuditUrlDays
{
    public const string Format = "yyyy-MM-dd";

    /// <summary>The day, or null when empty; a value that is not a day adds a sentence to <paramref name="errors"/>.</summary>
    public static DateTime? Parse(string? value, string name, ICollection<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTime.TryParseExact(value.Trim(), Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add($"'{name}={value.Trim()}' in the address is not a date like 2026-12-07, so it is not applied.");
        return null;
    }

    public static string? Write(DateTime? day) => day?.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Start of the "from" day, UTC.</summary>
    public static DateTimeOffset? Start(DateTime? from) => from is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f.Date, DateTimeKind.Utc)) : null;

    /// <summary>End of the inclusive "to" day: the start of the next day, UTC.</summary>
    public static DateTimeOffset? EndInclusive(DateTime? to) => to is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Utc)) : null;
}
