using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Whether mTLS between two clusters' workloads succeeds, and why not.</summary>
internal sealed record TrustResult(bool Trusted, string Explanation);

/// <summary>
/// Checks the real certificates of two clusters' <c>cacerts</c>: each side's intermediate (<c>ca-cert.pem</c>, with
/// <c>cert-chain.pem</c> as intermediates) must chain to a root in the OTHER side's <c>root-cert.pem</c> bundle
/// (signatures, validity at "now", CA flags), as the two sidecars verify each other's workload certificates.
/// A bundle with several roots (rotation) therefore works as soon as each intermediate chains to one the peer trusts.
/// A cluster without <c>cacerts</c> uses its own self-signed root and trusts no other cluster.
/// Results are cached by the content hashes of both secrets and re-checked when "now" leaves the certificates' validity.
/// </summary>
internal sealed class TrustVerifier
{
    private const int CacheLimit = 4096;
    private readonly ConcurrentDictionary<string, CaMaterial> _materials = new();
    private readonly ConcurrentDictionary<(string, string), Cached> _pairs = new();

    public static TrustVerifier Shared { get; } = new();

    public TrustResult Check(IMeshClusterView source, IMeshClusterView target, DateTimeOffset now)
    {
        if (ReferenceEquals(source, target) || source.Name == target.Name)
        {
            return new TrustResult(true, "same cluster");
        }

        var a = Material(source);
        var b = Material(target);
        if (a is null || b is null)
        {
            var missing = string.Join(" and ", new[] { a is null ? source.Name : null, b is null ? target.Name : null }.Where(n => n is not null));
            return new TrustResult(false, $"{missing} has no istio-system/cacerts and uses its own self-signed root");
        }

        var key = (a.Key, b.Key);
        if (_pairs.TryGetValue(key, out var cached) && now >= cached.ValidFrom && now <= cached.ValidTo)
        {
            return cached.Result;
        }

        var result = Verify(source.Name, a, target.Name, b, now);
        var certs = a.AllCertificates.Concat(b.AllCertificates).ToList();
        if (_pairs.Count > CacheLimit)
        {
            _pairs.Clear();
        }

        _pairs[key] = new Cached(
            result,
            certs.Count == 0 ? DateTimeOffset.MinValue : certs.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime())),
            certs.Count == 0 ? DateTimeOffset.MaxValue : certs.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime())));
        return result;
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
                return new TrustResult(false, $"{name}: ca-cert.pem does not chain to its own root-cert.pem: {own}");
            }
        }

        if (ChainProblem(a.CaCert!, a.Chain, b.Roots, now) is { } ab)
        {
            return new TrustResult(false, $"{bName} does not trust {aName}'s intermediate: {ab}");
        }

        if (ChainProblem(b.CaCert!, b.Chain, a.Roots, now) is { } ba)
        {
            return new TrustResult(false, $"{aName} does not trust {bName}'s intermediate: {ba}");
        }

        return new TrustResult(true, $"{aName} and {bName} chain to a common root");
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

    private CaMaterial? Material(IMeshClusterView cluster)
    {
        var secret = cluster.Get("", "secrets", "istio-system", "cacerts");
        if (secret is null)
        {
            return null;
        }

        if (_materials.Count > CacheLimit)
        {
            _materials.Clear();
        }

        return _materials.GetOrAdd(CaMaterial.ContentKey(secret), _ => CaMaterial.Parse(secret));
    }

    private sealed record Cached(TrustResult Result, DateTimeOffset ValidFrom, DateTimeOffset ValidTo);
}
