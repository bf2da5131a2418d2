using MeshPortal.Simulator.Exec.Curl;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Exec;

public sealed class CurlWriteOutTests
{
    private static readonly CurlUrl Url = CurlUrl.Parse("httpbin.bar.global:8000/headers").Url!;

    [Fact]
    public void Expands_variables_and_escapes()
    {
        var transfer = new CurlTransfer(Url, "httpbin.bar.global:8000/headers", 0, null)
        {
            Reply = new HttpReply(200, "OK", [new("content-type", "application/json")], "{}"),
            TimeTotal = 0.0123456,
            TimeConnect = 0.0001,
        };

        var (text, warnings) = CurlWriteOut.Expand("%{http_code} %{time_total} %{time_connect} %{exitcode} [%{errormsg}] %{url_effective} 100%%\\n", transfer);

        Assert.Equal("200 0.012346 0.000100 0 [] http://httpbin.bar.global:8000/headers 100%\n", text);
        Assert.Equal("", warnings);
    }

    [Fact]
    public void Failed_transfers_print_000_and_the_error()
    {
        var transfer = new CurlTransfer(Url, "x", 6, "Could not resolve host: httpbin.bar.global") { TimeTotal = 0.002 };

        var (text, _) = CurlWriteOut.Expand("%{http_code} %{exitcode} %{errormsg}", transfer);

        Assert.Equal("000 6 Could not resolve host: httpbin.bar.global", text);
    }

    [Fact]
    public void Unknown_variables_warn_on_stderr()
    {
        var (text, warnings) = CurlWriteOut.Expand("a%{nope}b", new CurlTransfer(Url, "x", 0, null));

        Assert.Equal("ab", text);
        Assert.Equal("curl: unknown --write-out variable: 'nope'\n", warnings);
    }
}
