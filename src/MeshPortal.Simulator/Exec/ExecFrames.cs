namespace MeshPortal.Simulator.Exec;

/// <summary>The channel.k8s.io framing: byte 0 = channel, the rest = payload; v5 adds <c>[255, ch]</c> to close a channel.</summary>
internal static class ExecFrames
{
    public const string V4 = "v4.channel.k8s.io";
    public const string V5 = "v5.channel.k8s.io";

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Status = 3;
    public const byte Resize = 4;
    public const byte Close = 255;

    /// <summary>End of transmission (Ctrl-D): how a v4 client, which cannot close stdin, ends it in band.</summary>
    public const byte EndOfTransmission = 4;

    public static byte[] Frame(byte channel, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame.AsSpan(1));
        return frame;
    }
}
