using System.Globalization;

namespace MeshPortal.Simulator;

/// <summary>A "major.minor[.patch]" version, compared numerically. Anything after a dash is ignored.</summary>
internal readonly record struct SimVersion(int Major, int Minor, int Patch = 0) : IComparable<SimVersion>
{
    public static SimVersion Parse(string text)
    {
        var core = text.TrimStart('v').Split('-', '+')[0];
        var parts = core.Split('.');
        int At(int i) => i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new SimVersion(At(0), At(1), At(2));
    }

    public int CompareTo(SimVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(SimVersion a, SimVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(SimVersion a, SimVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(SimVersion a, SimVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(SimVersion a, SimVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
