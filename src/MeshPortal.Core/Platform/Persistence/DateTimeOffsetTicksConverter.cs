using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>Stores a DateTimeOffset as UTC ticks so that SQLite can sort and compare it.</summary>
internal static class DateTimeOffsetTicksConverter
{
    public static readonly ValueConverter<DateTimeOffset, long> Instance =
        new(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

    public static readonly ValueConverter<DateTimeOffset?, long?> Nullable =
        new(v => v.HasValue ? v.Value.UtcTicks : null, v => v.HasValue ? new DateTimeOffset(v.Value, TimeSpan.Zero) : null);
}
