using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Store;

namespace MeshPortal.Simulator.Tests.Unit;

public sealed class LabelSelectorTests
{
    private static readonly JsonObject Pod = JsonNode.Parse("""{"metadata":{"labels":{"app":"sleep","tier":"web","app.kubernetes.io/managed-by":"meshportal"}}}""")!.AsObject();

    [Theory]
    [InlineData("", true)]
    [InlineData("app=sleep", true)]
    [InlineData("app==sleep,tier=web", true)]
    [InlineData("app!=sleep", false)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (web,db)", true)]
    [InlineData("tier in (db)", false)]
    [InlineData("tier notin (db)", true)]
    [InlineData("missing notin (db)", true)]
    [InlineData("app.kubernetes.io/managed-by=meshportal", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("app in (sleep), tier", true)]
    public void Matches(string selector, bool expected) => Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Pod));

    [Theory]
    [InlineData("app in sleep")]
    [InlineData("=x")]
    [InlineData("a b")]
    public void Rejects_garbage(string selector)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, e.Code);
    }
}
