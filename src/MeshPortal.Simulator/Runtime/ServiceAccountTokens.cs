using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Runtime;

/// <summary>Who a service account token belongs to: the account, the token Secret it lives in (legacy tokens) or its expiry (bound tokens).</summary>
internal sealed record TokenIdentity(string Namespace, string ServiceAccount, string ServiceAccountUid, string? SecretName, DateTimeOffset? Expires)
{
    public string User => $"system:serviceaccount:{Namespace}:{ServiceAccount}";
}

/// <summary>
/// The API server's service account tokens: JWTs with the claims Kubernetes writes, signed with the cluster's own key (HS256 here:
/// real API servers sign RS256, but no client verifies the signature, and an HMAC keeps minting hundreds of tokens cheap). A
/// legacy token is valid while its <c>kubernetes.io/service-account-token</c> Secret exists; a TokenRequest token until it expires.
/// Deleting the Secret (or the account) revokes.
/// </summary>
internal sealed class ServiceAccountTokens
{
    private readonly ConcurrentDictionary<string, TokenIdentity> _tokens = new(StringComparer.Ordinal);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>A new legacy (Secret-bound) token.</summary>
    public string MintForSecret(string ns, string sa, string saUid, string secretName, string secretUid)
    {
        var claims = new JsonObject
        {
            ["iss"] = "kubernetes/serviceaccount",
            ["kubernetes.io/serviceaccount/namespace"] = ns,
            ["kubernetes.io/serviceaccount/secret.name"] = secretName,
            ["kubernetes.io/serviceaccount/service-account.name"] = sa,
            ["kubernetes.io/serviceaccount/service-account.uid"] = saUid,
            ["sub"] = $"system:serviceaccount:{ns}:{sa}",
            ["jti"] = secretUid,
        };
        return Sign(claims);
    }

    /// <summary>A TokenRequest (bound) token valid until <paramref name="expires"/>.</summary>
    public string MintBound(string ns, string sa, string saUid, DateTimeOffset now, DateTimeOffset expires, IReadOnlyList<string> audiences)
    {
        var claims = new JsonObject
        {
            ["aud"] = new JsonArray([.. audiences.Select(a => (JsonNode)a)]),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iss"] = "https://kubernetes.default.svc.cluster.local",
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = ns,
                ["serviceaccount"] = new JsonObject { ["name"] = sa, ["uid"] = saUid },
            },
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["sub"] = $"system:serviceaccount:{ns}:{sa}",
        };
        var token = Sign(claims);
        _tokens[token] = new TokenIdentity(ns, sa, saUid, null, expires);
        return token;
    }

    /// <summary>Accepts a legacy token found in a token Secret (the API server reads those Secrets).</summary>
    public void Register(string token, TokenIdentity identity) => _tokens[token] = identity;

    public void RevokeSecret(string ns, string secretName)
    {
        foreach (var (token, id) in _tokens)
        {
            if (id.Namespace == ns && id.SecretName == secretName)
            {
                _tokens.TryRemove(token, out _);
            }
        }
    }

    public void RevokeServiceAccount(string ns, string sa)
    {
        foreach (var (token, id) in _tokens)
        {
            if (id.Namespace == ns && id.ServiceAccount == sa)
            {
                _tokens.TryRemove(token, out _);
            }
        }
    }

    public TokenIdentity? Validate(string token, DateTimeOffset now) =>
        _tokens.TryGetValue(token, out var id) && (id.Expires is null || now < id.Expires) ? id : null;

    private string Sign(JsonObject claims)
    {
        var kid = Convert.ToHexStringLower(SHA256.HashData(_key))[..43];
        var header = Base64Url(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = "HS256", ["kid"] = kid }.ToJsonString()));
        var payload = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
