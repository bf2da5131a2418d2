using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Tests.Unit;

public sealed class YamlJsonTests
{
    [Fact]
    public void Converts_plain_scalars_with_the_core_schema()
    {
        var node = YamlJson.Parse("a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: text\ng: [x, 2]\n")!.AsObject();
        Assert.Equal("""{"a":1,"b":"1","c":true,"d":null,"e":1.5,"f":"text","g":["x",2]}""", node.ToJsonString());
    }

    [Fact]
    public void Json_is_yaml()
    {
        var node = YamlJson.Parse("""{"spec":{"hosts":["a.b"],"ports":[{"number":8000}]}}""")!;
        Assert.Equal(8000, (int)node["spec"]!["ports"]![0]!["number"]!);
    }

    [Fact]
    public void A_yaml_bomb_is_a_bad_request_not_a_hang()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
        var previous = "a";
        for (var i = 0; i < 9; i++)
        {
            var name = $"l{i}";
            bomb += $"{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n";
            previous = name;
        }

        var e = Assert.Throws<ApiException>(() => YamlJson.Parse(bomb));
        Assert.Equal(400, e.Code);
    }
}
