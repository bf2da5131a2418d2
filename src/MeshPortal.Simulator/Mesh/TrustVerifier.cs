using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Whether mTLS between two clusters' workloads succeeds, and why not.</summary>
internal sealed record TrustResult(bool Trusted, string Explanation);

/// <summary>
/// Checks the real certificates two proxies hold: each side's workload certificate was issued by its CA (the plugged
/// <c>ca-cert.pem</c> with <c>cert-chain.pem</c> as intermediates, or istiod's self-signed root), and each side verifies the other's
/// with the root bundle it got at its start (<c>root-cert.pem</c>, or the self-signed root): signatures, validity at "now", CA flags.
/// A bundle with several roots (a rotation) therefore works as soon as each CA chains to one the peer trusts.
/// Results are cached by the content hashes of both CAs and re-checked when "now" leaves the certificates' validity.
/// </summary>
internal sealed class TrustVerifier
{
    private const int CacheLimit = 4096;
    private readonly ConcurrentDictionary<(string, string), Cached> _pairs = new();

    public static TrustVerifier Shared { get; } = new();

    /// <summary>Whether a client holding a certificate from <paramref name="a"/> and a server holding one from <paramref name="b"/> accept each other.</summary>
    public TrustResult Check(string aName, CaMaterial a, string bName, CaMaterial b, DateTimeOffset now)
    {
        if (a.Key == b.Key && a.Problem is null)
        {
            return new TrustResult(true, $"{aName} and {bName} hold certificates of the same CA ({a.Describe})");
        }

        var key = (a.Key, b.Key);
        if (_pairs.TryGetValue(key, out var cached) && now >= cached.ValidFrom && now <= cached.ValidTo)
        {
            return cached.Result with { Explanation = cached.Result.Explanation.Replace("{a}", aName).Replace("{b}", bName) };
        }

        var result = Verify("{a}", a, "{b}", b, now);
        var certs = a.AllCertificates.Concat(b.AllCertificates).ToList();
        if (_pairs.Count > CacheLimit)
        {
            _pairs.Clear();
        }

        _pairs[key] = new Cached(
            result,
            certs.Count == 0 ? DateTimeOffset.MinValue : certs.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime())),
            certs.Count == 0 ? DateTimeOffset.MaxValue : certs.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime())));
        return result with { Explanation = result.Explanation.Replace("{a}", aName).Replace("{b}", bName) };
    }

    private static TrustResult Verify(string aName, CaMaterial a, string bName, CaMaterial b, DateTimeOffset now)
    {
        foreach (var (name, m) in new[] { (aName, a), (bName, b) })
        {
            if (m.Problem is not null)
            {
                return new TrustResult(false, $"{name}: {m.Problem}");
            }

            if (ChainProblem(m.CaCert!, m.Chain, m.Roots, now) is { } own)
            {
                return new TrustResult(false, $"{name}: its CA certificate does not chain to its own root bundle: {own}");
            }
        }

        if (ChainProblem(a.CaCert!, a.Chain, b.Roots, now) is { } ab)
        {
            return new TrustResult(false, $"{bName} does not trust the CA of {aName}'s certificate ({a.Describe}): {ab}");
        }

        if (ChainProblem(b.CaCert!, b.Chain, a.Roots, now) is { } ba)
        {
            return new TrustResult(false, $"{aName} does not trust the CA of {bName}'s certificate ({b.Describe}): {ba}");
        }

        return new TrustResult(true, $"{aName} and {bName} hold certificates that chain to roots the other trusts");
    }

    /// <summary>Null when <paramref name="ca"/> is a CA certificate that chains to one of <paramref name="roots"/> at <paramref name="now"/>.</summary>
    public static string? ChainProblem(X509Certificate2 ca, IEnumerable<X509Certificate2> intermediates, IEnumerable<X509Certificate2> roots, DateTimeOffset now)
    {
        if (!IsCa(ca))
        {
            return $"{ca.Subject} is not a CA certificate (basicConstraints CA:false)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (!chain.Build(ca))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status.ToString()).Distinct();
            return string.Join(", ", statuses);
        }

        var notCa = chain.ChainElements.Skip(1).Select(e => e.Certificate).FirstOrDefault(c => !IsCa(c));
        return notCa is null ? null : $"{notCa.Subject} is not a CA certificate";
    }

    private static bool IsCa(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority == true;

    private sealed record Cached(TrustResult Result, DateTimeOffset ValidFrom, DateTimeOffset ValidTo);
}
