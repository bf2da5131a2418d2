using MeshPortal.Core.Features.Tokens;

namespace MeshPortal.Tests.Core.Tokens;

[Trait("Speed", "Fast")]
public sealed class ApiTokensTests
{
    [Fact]
    public void Generate_IsPrefixedUrlSafeAndUnique()
    {
        var a = ApiTokens.Generate();
        var b = ApiTokens.Generate();
        Assert.StartsWith("mp_", a);
        Assert.NotEqual(a, b);
        Assert.True(a.Length >= 40);
        Assert.DoesNotContain(a, c => c is '+' or '/' or '=');
    }

    [Fact]
    public void Hash_IsStableHexSha256_AndNotTheToken()
    {
        var token = ApiTokens.Generate();
        var hash = ApiTokens.Hash(token);
        Assert.Equal(hash, ApiTokens.Hash(token));
        Assert.Equal(64, hash.Length);
        Assert.DoesNotContain(token, hash);
        Assert.NotEqual(hash, ApiTokens.Hash(token + "x"));
    }

    [Fact]
    public void DisplayPrefix_ShowsOnlyTheStart()
    {
        var token = ApiTokens.Generate();
        Assert.Equal(token[..10], ApiTokens.DisplayPrefix(token));
    }
}
