using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Pure check of a cacerts MeshPortal did not write (foreign or adopted): does its <c>ca-cert.pem</c> chain (with its
/// <c>cert-chain.pem</c>) to the mesh root? The answer becomes a planner note shown on the Trust page.
/// </summary>
public static class ExistingCacertsCheck
{
    public const string Prefix = "Existing cacerts ";
    public const string ChainsNote = Prefix + "chains to the mesh root.";

    public static string Describe(JsonObject secret, IReadOnlyList<X509Certificate2> roots, DateTimeOffset now)
    {
        var caPem = RootTransition.File(secret, "ca-cert.pem");
        if (PemBlocks.Certificates(caPem).Count == 0)
        {
            return Prefix + "has no readable ca-cert.pem, so it cannot chain to the mesh root.";
        }

        try
        {
            using var ca = X509Certificate2.CreateFromPem(PemBlocks.Certificates(caPem)[0].Text);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
            var extra = new X509Certificate2Collection();
            if (PemBlocks.Certificates(RootTransition.File(secret, "cert-chain.pem")).Count > 0)
            {
                extra.ImportFromPem(RootTransition.File(secret, "cert-chain.pem"));
            }

            chain.ChainPolicy.ExtraStore.AddRange(extra);
            return chain.Build(ca)
                ? ChainsNote
                : Prefix + $"does not chain to the mesh root ({string.Join("; ", chain.ChainStatus.Select(s => Reason(s.Status)).Distinct())}): " +
                  "cross-cluster mTLS with this cluster will fail.";
        }
        catch (CryptographicException e)
        {
            return Prefix + $"cannot be read ({e.Message}).";
        }
    }

    /// <summary>A chain problem in words (issue 16: no raw "PartialChain" or "UntrustedRoot" on the page).</summary>
    public static string Reason(X509ChainStatusFlags status) => status switch
    {
        X509ChainStatusFlags.UntrustedRoot => "it is signed by a different root",
        X509ChainStatusFlags.PartialChain => "cert-chain.pem lacks a certificate between it and a root",
        X509ChainStatusFlags.NotTimeValid => "a certificate in its chain has expired or is not valid yet",
        X509ChainStatusFlags.NotSignatureValid => "a signature in its chain does not verify",
        X509ChainStatusFlags.InvalidBasicConstraints => "a certificate in its chain is not allowed to act as a CA",
        X509ChainStatusFlags.NotValidForUsage or X509ChainStatusFlags.InvalidExtension => "a certificate in its chain is not valid for signing certificates",
        _ => $"certificate check failed: {status}",
    };
}
