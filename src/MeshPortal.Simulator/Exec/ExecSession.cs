using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Exec.Shell;

namespace MeshPortal.Simulator.Exec;

/// <summary>
/// One accepted exec WebSocket: writes stdout/stderr frames as the command produces them, collects stdin in the
/// background (until v5's <c>[255,0]</c>, v4's in-band EOT byte, or the client closing), and ends with the status on
/// channel 3 followed by a close (the C# client reads to the end of the socket).
/// </summary>
internal sealed class ExecSession : IExecOutput
{
    private static readonly TimeSpan CloseHandshakeWait = TimeSpan.FromSeconds(1);
    private readonly WebSocket _socket;
    private readonly ExecQuery _query;
    private readonly bool _v5;
    private readonly MemoryStream _stdin = new();
    private readonly TaskCompletionSource _stdinClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;

    public ExecSession(WebSocket socket, ExecQuery query, bool v5, CancellationToken ct)
    {
        _socket = socket;
        _query = query;
        _v5 = v5;
        _receiving = ReceiveLoopAsync(ct);
    }

    public async Task<string> ReadStdinAsync(CancellationToken ct)
    {
        if (!_query.Stdin)
        {
            return "";
        }

        await _stdinClosed.Task.WaitAsync(ct);
        lock (_stdin)
        {
            return Encoding.UTF8.GetString(_stdin.GetBuffer(), 0, (int)_stdin.Length);
        }
    }

    public async ValueTask WriteAsync(ExecStream stream, string text, CancellationToken ct)
    {
        // With a TTY the container has one output stream; kubelet sends it all on stdout.
        var channel = stream == ExecStream.Stderr && !_query.Tty ? ExecFrames.Stderr : ExecFrames.Stdout;
        var wanted = channel == ExecFrames.Stdout ? _query.Stdout || _query.Tty : _query.Stderr;
        if (wanted && text.Length > 0)
        {
            await _socket.SendAsync(ExecFrames.Frame(channel, Encoding.UTF8.GetBytes(text)), WebSocketMessageType.Binary, true, ct);
        }
    }

    public async Task FinishAsync(JsonObject status, CancellationToken ct)
    {
        await _socket.SendAsync(ExecFrames.Frame(ExecFrames.Status, Encoding.UTF8.GetBytes(status.ToJsonString())), WebSocketMessageType.Binary, true, ct);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
        // Give the client a moment to answer the close handshake so the connection ends cleanly.
        await Task.WhenAny(_receiving, Task.Delay(CloseHandshakeWait, ct));
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var message = new MemoryStream();
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await _socket.ReceiveAsync(buffer, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    Handle(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away; stdin ends with it.
        }
        finally
        {
            _stdinClosed.TrySetResult();
        }
    }

    private void Handle(byte[] frame)
    {
        if (frame.Length == 0)
        {
            return;
        }

        if (_v5 && frame[0] == ExecFrames.Close && frame.Length >= 2 && frame[1] == ExecFrames.Stdin)
        {
            _stdinClosed.TrySetResult();
            return;
        }

        if (frame[0] != ExecFrames.Stdin || _stdinClosed.Task.IsCompleted)
        {
            return; // resize and unknown channels are ignored
        }

        var payload = frame.AsSpan(1);
        var eot = _v5 ? -1 : payload.IndexOf(ExecFrames.EndOfTransmission);
        lock (_stdin)
        {
            _stdin.Write(eot >= 0 ? payload[..eot] : payload);
        }

        if (eot >= 0)
        {
            _stdinClosed.TrySetResult();
        }
    }
}
