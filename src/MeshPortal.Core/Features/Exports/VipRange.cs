using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// An IPv4 range VIPs are allocated from: usable addresses exclude the network and broadcast addresses. Pure; parse with
/// <see cref="TryParse"/>, which refuses loopback, multicast and Istio's own auto-allocation range.
/// </summary>
public sealed record VipRange(uint Network, int PrefixLength)
{
    private static readonly (uint Net, int Prefix, string Why)[] Refused =
    [
        (Ip(127, 0, 0, 0), 8, "loopback addresses (127.0.0.0/8) may be redirected to the sidecar's inbound listener"),
        (Ip(224, 0, 0, 0), 4, "multicast addresses (224.0.0.0/4) have no route by default"),
        (Ip(240, 240, 0, 0), 16, "240.240.0.0/16 is Istio's own DNS auto-allocation range"),
    ];

    public uint Broadcast => Network | HostMask(PrefixLength);

    public uint First => Network + 1;

    public uint Last => Broadcast - 1;

    /// <summary>Number of usable addresses.</summary>
    public long Size => (long)Last - First + 1;

    public override string ToString() => $"{Format(Network)}/{PrefixLength}";

    public bool Contains(uint address) => address >= First && address <= Last;

    /// <summary>Parses a CIDR such as <c>240.0.0.0/16</c>; false with a message a person can act on.</summary>
    public static bool TryParse(string? text, out VipRange range, out string error)
    {
        range = new VipRange(0, 32);
        error = "";
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var prefix) || prefix is < 0 or > 32)
        {
            error = $"'{text}' is not an IPv4 range in CIDR form (e.g. 240.0.0.0/16).";
            return false;
        }

        if (prefix > 30)
        {
            error = $"The VIP range {text} is too small: a /{prefix} has no usable address besides its network and broadcast addresses; use /30 or larger.";
            return false;
        }

        var network = ToUInt(ip) & ~HostMask(prefix);
        if (network != ToUInt(ip))
        {
            error = $"'{text}' has host bits set; did you mean {Format(network)}/{prefix}?";
            return false;
        }

        range = new VipRange(network, prefix);
        foreach (var (net, p, why) in Refused)
        {
            if (Overlaps(range, net, p))
            {
                error = $"The VIP range {text} overlaps {Format(net)}/{p}: {why}. Choose a range such as 240.0.0.0/16.";
                return false;
            }
        }

        return true;
    }

    public static VipRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    /// <summary>The lowest usable address not in <paramref name="taken"/>, or null when the range is exhausted.</summary>
    public uint? LowestFree(IEnumerable<uint> taken)
    {
        var used = taken.Where(Contains).ToHashSet();
        for (var a = (long)First; a <= Last; a++)
        {
            if (!used.Contains((uint)a))
            {
                return (uint)a;
            }
        }

        return null;
    }

    public static uint? TryToUInt(string? address) =>
        IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork ? ToUInt(ip) : null;

    public static string Format(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    private static uint ToUInt(IPAddress ip) => BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes());

    private static uint HostMask(int prefix) => prefix == 0 ? uint.MaxValue : (1u << (32 - prefix)) - 1;

    private static uint Ip(byte a, byte b, byte c, byte d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;

    private static bool Overlaps(VipRange range, uint net, int prefix)
    {
        var otherLast = net | HostMask(prefix);
        return range.Network <= otherLast && net <= range.Broadcast;
    }
}
