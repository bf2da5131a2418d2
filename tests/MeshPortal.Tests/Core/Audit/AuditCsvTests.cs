using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Tests.Core.Audit;

/// <summary>The CSV writer: RFC 4180 quoting and the spreadsheet formula-injection guard.</summary>
[Trait("Speed", "Fast")]
public sealed class AuditCsvTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+SUM(A1)", "'+SUM(A1)")]
    [InlineData("-2", "'-2")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("a=b", "a=b")]
    [InlineData("<script>alert(1)</script>", "<script>alert(1)</script>")]
    public void Cells_are_quoted_and_formulas_defused(string? value, string expected) => Assert.Equal(expected, AuditCsv.Cell(value));

    [Fact]
    public async Task Writes_a_header_and_one_line_per_entry_with_CRLF()
    {
        var entries = new[]
        {
            new AuditEntryEntity
            {
                Id = 7, At = new DateTimeOffset(2026, 11, 26, 23, 0, 1, 250, TimeSpan.Zero), Actor = "alice", TokenName = "ci", RemoteIp = "10.0.0.1",
                UserAgent = "curl/8.0", Action = "export.created", TargetKind = "export", Target = "httpbin.bar.global", Outcome = "success",
                Summary = "Exported bar/httpbin, ports 8000", After = """{"ports":[8000]}""",
            },
        };
        var writer = new StringWriter();
        await AuditCsv.WriteAsync(writer, entries.Select(AuditEntryView.From).ToAsyncEnumerable(), CancellationToken.None);

        var lines = writer.ToString().Split("\r\n");
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Join(",", AuditCsv.Header), lines[0]);
        Assert.Equal("7,2026-11-26T23:00:01.250Z,alice,ci,10.0.0.1,curl/8.0,export.created,export,httpbin.bar.global,success,\"Exported bar/httpbin, ports 8000\",,\"{\"\"ports\"\":[8000]}\"", lines[1]);
        Assert.Equal("", lines[2]);
    }
}
