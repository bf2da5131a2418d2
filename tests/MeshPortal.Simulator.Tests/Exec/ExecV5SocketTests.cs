using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Tests.Exec;

/// <summary>Exec over v5.channel.k8s.io with a raw ClientWebSocket, frame by frame, as kubectl speaks it.</summary>
public sealed class ExecV5SocketTests(ExecMeshFixture fx) : IClassFixture<ExecMeshFixture>
{
    private async Task<ClientWebSocket> ConnectAsync(string query, string protocol = "v5.channel.k8s.io")
    {
        var cluster = fx.Mesh["cluster-1"];
        var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(protocol);
        socket.Options.SetRequestHeader("Authorization", $"Bearer {cluster.Token}");
        socket.Options.RemoteCertificateValidationCallback = (_, cert, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(cert!));
        };
        var uri = new UriBuilder(cluster.Server) { Scheme = "wss", Path = $"/api/v1/namespaces/foo/pods/{fx.SleepPod}/exec", Query = query }.Uri;
        await socket.ConnectAsync(uri, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        return socket;
    }

    private static async Task<List<byte[]>> ReadToCloseAsync(ClientWebSocket socket)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                return frames;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add(message.ToArray());
                message.SetLength(0);
            }
        }
    }

    private static string Channel(List<byte[]> frames, byte channel) =>
        string.Concat(frames.Where(f => f[0] == channel).Select(f => Encoding.UTF8.GetString(f, 1, f.Length - 1)));

    [Fact]
    public async Task Stdin_is_read_until_the_close_frame()
    {
        using var socket = await ConnectAsync("command=cat&container=sleep&stdin=true&stdout=true&stderr=true");
        Assert.Equal("v5.channel.k8s.io", socket.SubProtocol);

        await socket.SendAsync(new byte[] { 0, (byte)'h', (byte)'i', (byte)'\n' }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 0, (byte)'!', (byte)'\n' }, WebSocketMessageType.Binary, true, CancellationToken.None);
        await socket.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var frames = await ReadToCloseAsync(socket);

        Assert.Equal("hi\n!\n", Channel(frames, 1));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", Channel(frames, 3));
        Assert.All(frames, f => Assert.True(f.Length >= 2));
    }

    [Fact]
    public async Task Curl_errors_go_to_stderr_and_the_exit_code_to_the_status()
    {
        using var socket = await ConnectAsync("command=curl&command=-sS&command=httpbin.baz.global%3A8000%2F&container=sleep&stdout=true&stderr=true");
        var frames = await ReadToCloseAsync(socket);

        Assert.Equal("", Channel(frames, 1));
        Assert.Equal("curl: (6) Could not resolve host: httpbin.baz.global\n", Channel(frames, 2));
        var status = JsonNode.Parse(Channel(frames, 3))!;
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("6", (string?)status["details"]!["causes"]![0]!["message"]);
        Assert.Equal("command terminated with non-zero exit code: error executing command [curl -sS httpbin.baz.global:8000/], exit code 6", (string?)status["message"]);
    }

    [Fact]
    public async Task V4_does_not_wait_for_stdin_unless_the_command_reads_it()
    {
        using var socket = await ConnectAsync("command=echo&command=ok&container=sleep&stdin=1&stdout=1&stderr=1&tty=0", "v4.channel.k8s.io");
        var frames = await ReadToCloseAsync(socket);

        Assert.Equal("ok\n", Channel(frames, 1));
    }

    [Fact]
    public async Task V4_cat_ends_at_an_in_band_eot()
    {
        using var socket = await ConnectAsync("command=cat&container=sleep&stdin=1&stdout=1&stderr=1&tty=0", "v4.channel.k8s.io");
        await socket.SendAsync(new byte[] { 0, (byte)'x', 4 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var frames = await ReadToCloseAsync(socket);

        Assert.Equal("x", Channel(frames, 1));
    }

    [Fact]
    public async Task Other_sub_protocols_are_refused()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync("command=true&container=sleep&stdout=1", "channel.k8s.io"));

        Assert.Contains("'400'", error.Message);
    }
}
