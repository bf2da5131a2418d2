using System.Text.RegularExpressions;
using MeshPortal.Tests.Web;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// "One way to do each thing in Web" (issue 12): components inject with <c>[Inject] required</c> properties in a code-behind,
/// links, redirects and Location headers come from <c>PortalUrls</c>, endpoints are named handlers with typed results.
/// Each rule names the files that break it.
/// </summary>
[Trait("Speed", "Fast")]
public sealed partial class WebHabitsTests
{
    private static readonly string Web = Path.Combine(Repo.Root(), "src", "MeshPortal.Web");

    [Fact]
    public void Components_InjectInCodeBehind_NotWithInjectOrCodeBlocks() =>
        AssertNone("Move @inject and @code into the component's .razor.cs ([Inject] public required ... { get; init; })",
            Files("*.razor").Where(f => RazorCode().IsMatch(f.Text)));

    [Fact]
    public void Links_ComeFromPortalUrls() =>
        AssertNone("Link, navigate and redirect with PortalUrls instead of a literal route",
            Files("*.razor").Concat(Files("*.razor.cs")).Where(f => RouteLiteral().IsMatch(f.Text.Replace("<base href=\"/\" />", ""))));

    [Fact]
    public void LocationHeaders_ComeFromPortalUrls() =>
        AssertNone("Name the Location with PortalUrls.Api instead of a literal route",
            Files("*.cs").Where(f => f.Path.StartsWith("Api/", StringComparison.Ordinal) || f.Path.StartsWith("Auth/", StringComparison.Ordinal))
                .Where(f => LocationLiteral().IsMatch(f.Text)));

    [Fact]
    public void Endpoints_AreNamedHandlers_WithTypedResults() =>
        AssertNone("Map a named handler returning TypedResults (Results<...>), not a lambda or IResult",
            Files("*.cs").Where(f => (f.Path.StartsWith("Api/", StringComparison.Ordinal) || f.Path.StartsWith("Auth/", StringComparison.Ordinal))
                && (LambdaEndpoint().IsMatch(f.Text) || UntypedResult().IsMatch(f.Text))));

    /// <summary>The rules themselves catch what they are for (so an empty match is not a regex that matches nothing).</summary>
    [Theory]
    [InlineData("@inject NavigationManager Navigation", true, false)]
    [InlineData("@code {\n}", true, false)]
    [InlineData("<a href=\"/exports\">all</a>", false, true)]
    [InlineData("<MudButton Href=\"/exports/new\">", false, true)]
    [InlineData("<a href=\"@($\"/exports/{id}/edit\")\">", false, true)]
    [InlineData("Navigation.NavigateTo(\"/clusters\");", false, true)]
    [InlineData("Navigation.ToAbsoluteUri($\"/screen?token={token}\")", false, true)]
    [InlineData("<a href=\"@PortalUrls.Exports()\">all</a>", false, false)]
    [InlineData("Navigation.NavigateTo(PortalUrls.Clusters());", false, false)]
    [InlineData("    @inject in prose is fine inside markup", false, false)]
    public void Rules_CatchTheOldWays(string text, bool razorCode, bool routeLiteral)
    {
        Assert.Equal(razorCode, RazorCode().IsMatch(text));
        Assert.Equal(routeLiteral, RouteLiteral().IsMatch(text));
    }

    [Theory]
    [InlineData("return TypedResults.Created($\"/api/v1/tokens/{dto.Id}\", dto);", true, false)]
    [InlineData("TypedResults.Accepted(\"/api/v1/reachability\", run)", true, false)]
    [InlineData("TypedResults.Created(PortalUrls.Api.Token(dto.Id), dto)", false, false)]
    [InlineData("group.MapGet(\"/canary\", async (CanaryService canary, CancellationToken ct) => TypedResults.Ok(1));", false, true)]
    [InlineData("private static async Task<IResult> ListAsync()", false, true)]
    [InlineData("group.MapGet(\"/canary\", GetCanaryAsync);", false, false)]
    public void Rules_CatchUntypedEndpoints(string text, bool locationLiteral, bool untyped)
    {
        Assert.Equal(locationLiteral, LocationLiteral().IsMatch(text));
        Assert.Equal(untyped, LambdaEndpoint().IsMatch(text) || UntypedResult().IsMatch(text));
    }

    private static void AssertNone(string fix, IEnumerable<(string Path, string Text)> offenders)
    {
        var found = offenders.Select(f => f.Path).Order(StringComparer.Ordinal).ToList();
        Assert.True(found.Count == 0, $"{fix}: {string.Join(", ", found)}.");
    }

    private static IEnumerable<(string Path, string Text)> Files(string pattern) =>
        Directory.EnumerateFiles(Web, pattern, SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (Path.GetRelativePath(Web, p).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(p)));

    [GeneratedRegex(@"^@(inject|code)\b", RegexOptions.Multiline)]
    private static partial Regex RazorCode();

    [GeneratedRegex(@"[Hh]ref=""/|[Hh]ref=""@\(\$""/|NavigateTo\(\$?""/|ToAbsoluteUri\(\$?""/")]
    private static partial Regex RouteLiteral();

    [GeneratedRegex(@"(Created|Accepted|Redirect|LocalRedirect)\(\$?""/")]
    private static partial Regex LocationLiteral();

    [GeneratedRegex(@"Map(Get|Post|Put|Delete)\([^,]*,\s*(async\s*)?\(")]
    private static partial Regex LambdaEndpoint();

    [GeneratedRegex(@"\bIResult\b")]
    private static partial Regex UntypedResult();
}
