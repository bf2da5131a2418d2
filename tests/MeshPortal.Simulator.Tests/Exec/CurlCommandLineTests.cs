using MeshPortal.Simulator.Exec.Curl;

namespace MeshPortal.Simulator.Tests.Exec;

public sealed class CurlCommandLineTests
{
    [Fact]
    public void Parses_the_probe_form()
    {
        var (o, error) = CurlCommandLine.Parse(["-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", "--max-time", "5", "--connect-timeout", "2.5", "a.global:8000/x", "b"]);

        Assert.Null(error);
        Assert.True(o!.Silent);
        Assert.True(o.ShowError);
        Assert.Equal("/dev/null", o.Output);
        Assert.Equal("%{http_code}\\n", o.WriteOut);
        Assert.Equal(5, o.MaxTime);
        Assert.Equal(2.5, o.ConnectTimeout);
        Assert.Equal(["a.global:8000/x", "b"], o.Urls);
    }

    [Fact]
    public void Short_flags_cluster_and_take_attached_arguments()
    {
        var (o, _) = CurlCommandLine.Parse(["-sSIo/dev/null", "-m5", "-w%{exitcode}", "-HHost: x.y", "u"]);

        Assert.True(o!.Silent && o.ShowError && o.Head);
        Assert.Equal("/dev/null", o.Output);
        Assert.Equal(5, o.MaxTime);
        Assert.Equal("%{exitcode}", o.WriteOut);
        Assert.Equal(new KeyValuePair<string, string>("Host", "x.y"), o.Headers.Single());
        Assert.Equal("HEAD", o.EffectiveMethod);
    }

    [Theory]
    [InlineData(new[] { "--bogus", "u" }, "curl: option --bogus: is unknown\n")]
    [InlineData(new[] { "--max-time=5", "u" }, "curl: option --max-time=5: is unknown\n")]
    [InlineData(new[] { "-Z", "u" }, "curl: option -Z: is unknown\n")]
    [InlineData(new[] { "u", "-o" }, "curl: option -o: requires parameter\n")]
    [InlineData(new[] { "-m", "soon", "u" }, "curl: option --max-time: expected a proper numerical parameter\n")]
    [InlineData(new[] { "-s" }, "curl: no URL specified!\n")]
    public void Usage_errors_read_like_curl(string[] args, string firstLine)
    {
        var (o, error) = CurlCommandLine.Parse(args);

        Assert.Null(o);
        Assert.StartsWith(firstLine, error);
        Assert.EndsWith("curl: try 'curl --help' or 'curl --manual' for more information\n", error);
    }

    [Theory]
    [InlineData("httpbin.bar.global:8000/headers", "http", "httpbin.bar.global", 8000, "/headers", "http://httpbin.bar.global:8000/headers")]
    [InlineData("httpbin", "http", "httpbin", 80, "/", "http://httpbin/")]
    [InlineData("http://u:p@h.example:81?q=1", "http", "h.example", 81, "/?q=1", "http://h.example:81/?q=1")]
    [InlineData("https://h/p#frag", "https", "h", 443, "/p", "https://h/p")]
    [InlineData("HTTP://[::1]:8080/a", "http", "[::1]", 8080, "/a", "http://[::1]:8080/a")]
    public void Urls_default_like_curl(string text, string scheme, string host, int port, string path, string effective)
    {
        var (url, _, _) = CurlUrl.Parse(text);

        Assert.Equal((scheme, host, port, path, effective), (url!.Scheme, url.Host, url.Port, url.PathAndQuery, url.Effective));
    }

    [Theory]
    [InlineData("ftp://h/x", 1, "Protocol \"ftp\" not supported or disabled in libcurl")]
    [InlineData("h:99999/", 3, "URL using bad/illegal format or missing URL")]
    [InlineData("h:abc/", 3, "URL using bad/illegal format or missing URL")]
    public void Bad_urls_fail_like_curl(string text, int exitCode, string message)
    {
        Assert.Equal((null, exitCode, message), CurlUrl.Parse(text));
    }
}
