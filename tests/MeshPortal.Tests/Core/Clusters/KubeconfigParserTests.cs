using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class KubeconfigParserTests
{
    private static readonly KubeconfigPolicy Default = KubeconfigPolicy.Default;

    private static KubeconfigError Single(KubeconfigParseResult result, string code)
    {
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors, e => e.Code == code);
    }

    [Fact]
    public void Valid_kubeconfig_is_summarised()
    {
        var result = KubeconfigParser.Parse(Kubeconfigs.Build(), Default);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var ctx = Assert.Single(result.Summary!.Contexts);
        Assert.Equal(("ctx-a", "c1", "u1", "https://127.0.0.1:6443", "team-a"), (ctx.Name, ctx.Cluster, ctx.User, ctx.Server, ctx.Namespace));
        Assert.Equal("token", ctx.AuthKind);
        Assert.Equal("ctx-a", result.Summary.CurrentContext);
        Assert.Same(ctx, result.Selected);
        Assert.NotNull(ctx.CertificateAuthorityData);
    }

    [Fact]
    public void Json_kubeconfig_is_accepted()
    {
        const string json = """{"apiVersion":"v1","kind":"Config","clusters":[{"name":"c","cluster":{"server":"https://127.0.0.1:1"}}],"contexts":[{"name":"x","context":{"cluster":"c","user":"u"}}],"users":[{"name":"u","user":{"token":"t"}}],"current-context":"x"}""";
        var result = KubeconfigParser.Parse(json, Default);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("x", result.Selected!.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n")]
    public void Empty_is_refused(string? text) => Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.Empty);

    [Fact]
    public void Larger_than_one_mebibyte_is_refused()
    {
        var text = Kubeconfigs.Build() + "# " + new string('x', 1024 * 1024) + "\n";
        var error = Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.TooLarge);
        Assert.Contains("1 MiB", error.Message);
    }

    [Fact]
    public void Malformed_yaml_reports_line_and_column()
    {
        var error = Single(KubeconfigParser.Parse("apiVersion: v1\nclusters:\n  - name: [unclosed\n", Default), KubeconfigErrorCodes.Malformed);
        Assert.NotNull(error.Line);
        Assert.NotNull(error.Column);
    }

    [Fact]
    public void Billion_laughs_is_refused_without_expanding()
    {
        var lines = new List<string> { "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]" };
        for (var i = 1; i < 10; i++)
        {
            var prev = (char)('a' + i - 1);
            var cur = (char)('a' + i);
            lines.Add($"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]");
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = Single(KubeconfigParser.Parse(string.Join("\n", lines), Default), KubeconfigErrorCodes.AliasRefused);
        Assert.True(watch.ElapsedMilliseconds < 2000);
        Assert.Contains("alias", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Merge_key_alias_is_refused()
    {
        var text = Kubeconfigs.Build().Replace("users:\n", "base: &b {token: x}\nusers:\n", StringComparison.Ordinal)
            .Replace("    token: secret-token-123", "    <<: *b", StringComparison.Ordinal);
        Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.AliasRefused);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var text = "a: " + new string('[', 200) + new string(']', 200);
        Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.TooDeep);
    }

    [Fact]
    public void Several_documents_are_refused() =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build() + "---\n" + Kubeconfigs.Build(), Default), KubeconfigErrorCodes.Malformed);

    [Fact]
    public void Duplicate_keys_are_refused() =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build().Replace("kind: Config", "kind: Config\nkind: Config", StringComparison.Ordinal), Default),
            KubeconfigErrorCodes.Malformed);

    [Fact]
    public void A_scalar_is_not_a_kubeconfig() => Single(KubeconfigParser.Parse("just text", Default), KubeconfigErrorCodes.Malformed);

    [Theory]
    [InlineData("clusters", KubeconfigErrorCodes.MissingClusters)]
    [InlineData("contexts", KubeconfigErrorCodes.MissingContexts)]
    [InlineData("users", KubeconfigErrorCodes.MissingUsers)]
    public void Missing_section_is_refused(string section, string code)
    {
        var text = Kubeconfigs.Build().Replace($"{section}:", $"x{section}:", StringComparison.Ordinal);
        var error = Single(KubeconfigParser.Parse(text, Default), code);
        Assert.Contains(section, error.Message);
    }

    [Fact]
    public void Context_with_unknown_cluster_is_refused()
    {
        var error = Single(KubeconfigParser.Parse(Kubeconfigs.Build().Replace("cluster: c1", "cluster: nope", StringComparison.Ordinal), Default),
            KubeconfigErrorCodes.UnknownCluster);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void Context_with_unknown_user_is_refused()
    {
        var error = Single(KubeconfigParser.Parse(Kubeconfigs.Build().Replace("user: u1", "user: ghost", StringComparison.Ordinal), Default),
            KubeconfigErrorCodes.UnknownUser);
        Assert.Contains("'ghost'", error.Message);
    }

    [Fact]
    public void Chosen_context_not_present_lists_available_contexts()
    {
        var error = Single(KubeconfigParser.Parse(Kubeconfigs.Build(), Default, "prod"), KubeconfigErrorCodes.ContextNotFound);
        Assert.Contains("'prod'", error.Message);
        Assert.Contains("ctx-a", error.Message);
    }

    [Fact]
    public void Current_context_not_present_is_refused() =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build(currentContext: "gone"), Default), KubeconfigErrorCodes.ContextNotFound);
}
