using System.Globalization;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>
/// Which slice of a list a page shows: the requested 1-based page of <see cref="Size"/> items, clamped to the pages that exist (a page past
/// the end, e.g. after deletions, shows the last one), and the "Showing 51–100 of 2,000" line. Pure.
/// </summary>
public sealed record PageWindow(int Page, int Size, int Total)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    /// <summary>A window over <paramref name="total"/> items; a page below 1 is the first, above the last the last; the size is kept within 1–<see cref="MaxSize"/>.</summary>
    public static PageWindow Of(int? page, int? size, int total)
    {
        var s = Math.Clamp(size ?? DefaultSize, 1, MaxSize);
        var pages = Math.Max(1, (Math.Max(0, total) + s - 1) / s);
        return new PageWindow(Math.Clamp(page ?? 1, 1, pages), s, Math.Max(0, total));
    }

    public int Pages => Math.Max(1, (Total + Size - 1) / Size);

    /// <summary>How many items come before this page (the SQL/LINQ Skip).</summary>
    public int Offset => (Page - 1) * Size;

    /// <summary>1-based number of the first item shown, 0 when there is none.</summary>
    public int First => Total == 0 ? 0 : Offset + 1;

    /// <summary>1-based number of the last item shown.</summary>
    public int Last => Math.Min(Total, Offset + Size);

    public bool HasPrevious => Page > 1;

    public bool HasNext => Page < Pages;

    /// <summary>"Showing 1–50 of 2,000 exports", "Showing 3 exports", "Showing 1 export", "No exports".</summary>
    public string Label(string one, string many) => Total == 0
        ? $"No {many}"
        : Pages == 1
            ? $"Showing {Total.ToString("N0", CultureInfo.InvariantCulture)} {(Total == 1 ? one : many)}"
            : $"Showing {First.ToString("N0", CultureInfo.InvariantCulture)}–{Last.ToString("N0", CultureInfo.InvariantCulture)} of {Total.ToString("N0", CultureInfo.InvariantCulture)} {many}";
}
