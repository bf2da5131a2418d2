using System.Security.Cryptography;
using System.Text;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>Format and hashing of API tokens: <c>mp_</c> followed by 43 url-safe characters; only the SHA-256 hash is stored.</summary>
public static class ApiTokens
{
    public const string Prefix = "mp_";
    public const int MinimumBootstrapLength = 32;

    public static string Generate()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>What is shown in lists: the first characters, never the whole token.</summary>
    public static string DisplayPrefix(string token) => token.Length <= 10 ? token[..Math.Min(4, token.Length)] : token[..10];
}
