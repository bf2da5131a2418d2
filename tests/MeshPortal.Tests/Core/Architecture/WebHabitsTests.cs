using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Tests.Web;

namespace MeshPortal.Tests.Core.Architecture;

/// <summary>
/// A ratchet on "one way to do each thing in Web" (issue 12): components inject with <c>[Inject] required</c> properties in a
/// code-behind, links come from <c>PortalUrls</c>, endpoints are named handlers with typed results. The files listed below
/// still do it the old way (they are being rewritten elsewhere); a new file that does fails here, and a listed file that
/// no longer does fails too until it leaves its list, so the lists only shrink.
/// </summary>
[Trait("Speed", "Fast")]
public sealed partial class WebHabitsTests
{
    private static readonly string Web = Path.Combine(Repo.Root(), "src", "MeshPortal.Web");

    /// <summary>Components still using <c>@inject</c> or <c>@code</c> (Overview's one member is a Razor template, which must stay in markup).</summary>
    private static readonly HashSet<string> KnownRazorCode =
    [
        "Components/Pages/Account/Login.razor", "Components/Pages/ApiTokens.razor", "Components/Pages/CanarySetting.razor",
        "Components/Pages/Clusters/ProbePodPanel.razor", "Components/Pages/Overview.razor", "Components/Pages/ScreenTokens.razor",
    ];

    /// <summary>Files still linking or navigating to a literal route instead of <c>PortalUrls</c>.</summary>
    private static readonly HashSet<string> KnownRouteLiterals =
    [
        "Components/Pages/Account/Login.razor", "Components/Pages/ApiTokens.razor", "Components/Pages/Clusters/ClusterDetail.razor.cs",
        "Components/Pages/Exports/ExportForm.razor.cs", "Components/Pages/Exports/ExportList.razor", "Components/Pages/Reachability.razor",
        "Components/Pages/ScreenTokens.razor", "Components/Pages/Trust.razor",
    ];

    /// <summary>Endpoint files still mapping lambdas or returning untyped <c>IResult</c>.</summary>
    private static readonly HashSet<string> KnownUntypedEndpoints =
    [
        "Api/ExportEndpoints.cs", "Api/ProbeSettingsEndpoints.cs", "Api/ReachabilityEndpoints.cs",
    ];

    [Fact]
    public void Components_InjectInCodeBehind_NotWithInjectOrCodeBlocks() =>
        AssertOnly(KnownRazorCode, Files("*.razor").Where(f => RazorCode().IsMatch(f.Text)));

    [Fact]
    public void Links_ComeFromPortalUrls() =>
        AssertOnly(KnownRouteLiterals, Files("*.razor").Concat(Files("*.razor.cs")).Where(f => RouteLiteral().IsMatch(f.Text.Replace("<base href=\"/\" />", ""))));

    [Fact]
    public void Endpoints_AreNamedHandlers_WithTypedResults() =>
        AssertOnly(KnownUntypedEndpoints, Files("*.cs").Where(f => (f.Path.StartsWith("Api/", StringComparison.Ordinal) || f.Path.StartsWith("Auth/", StringComparison.Ordinal))
            && (LambdaEndpoint().IsMatch(f.Text) || UntypedResult().IsMatch(f.Text))));

    private static void AssertOnly(HashSet<string> known, IEnumerable<(string Path, string Text)> offenders)
    {
        var found = offenders.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        Assert.True(found.SetEquals(known),
            $"New offenders (do it the one way instead): {string.Join(", ", found.Except(known).Order())}. " +
            $"Fixed, so remove them from the list: {string.Join(", ", known.Except(found).Order())}.");
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

    [GeneratedRegex(@"Map(Get|Post|Put|Delete)\([^,]*,\s*(async\s*)?\(")]
    private static partial Regex LambdaEndpoint();

    [GeneratedRegex(@"\bIResult\b")]
    private static partial Regex UntypedResult();
}
