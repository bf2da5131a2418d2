using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Tests.Core.Trust;

[Trait("Speed", "Fast")]
public sealed class CaCertificatesTests
{
    [Fact]
    public void Intermediate_HasExactlyTheIstioExtensions()
    {
        var (cert, _) = TrustPki.Intermediate("cluster-7");

        Assert.Equal("O=Istio, CN=Intermediate CA, L=cluster-7", cert.Subject);
        Assert.Equal(TrustPki.Root.Subject, cert.Issuer);
        Assert.Equal(
            ["2.5.29.19", "2.5.29.15", "2.5.29.17", "2.5.29.14", "2.5.29.35"],
            cert.Extensions.Select(e => e.Oid!.Value!).ToArray());

        var bc = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(bc.Critical);
        Assert.True(bc.CertificateAuthority);
        Assert.True(bc.HasPathLengthConstraint);
        Assert.Equal(0, bc.PathLengthConstraint);

        var ku = cert.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(ku.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, ku.KeyUsages);

        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.False(san.Critical);
        Assert.Equal(["istiod.istio-system.svc"], san.EnumerateDnsNames().ToArray());
        Assert.Empty(san.EnumerateIPAddresses());

        var ski = cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var rootSki = TrustPki.Root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var aki = cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.NotEqual(rootSki.SubjectKeyIdentifier, ski.SubjectKeyIdentifier);
        Assert.Equal(Convert.FromHexString(rootSki.SubjectKeyIdentifier!), aki.KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void Root_IsSelfSignedCaWithCriticalConstraints()
    {
        var root = TrustPki.Root;
        Assert.Equal("O=Istio, CN=Root CA", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        var bc = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(bc.Critical && bc.CertificateAuthority && !bc.HasPathLengthConstraint);
        Assert.True(root.Extensions.OfType<X509KeyUsageExtension>().Single() is { Critical: true } ku && ku.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Single(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
    }

    [Fact]
    public void Intermediate_ChainsToItsRoot_AndNotToAnother()
    {
        var (cert, _) = TrustPki.Intermediate("cluster-1");
        Assert.Null(CaCertificates.ChainProblem(cert, [TrustPki.Root], TrustPki.Now));
        Assert.NotNull(CaCertificates.ChainProblem(cert, [TrustPki.OtherRoot], TrustPki.Now));
    }

    [Fact]
    public void RsaIntermediate_UnderRsaRoot_Chains()
    {
        var rootKey = TrustPki.Rsa2048;
        var root = CaCertificates.CreateRoot(rootKey, CaCertificates.RootSubject("Istio", "Root CA"), TrustPki.Now.AddMinutes(-5), TrustPki.Now.AddYears(1));
        var cert = CaCertificates.CreateIntermediate(rootKey, "cluster-r", root, rootKey, TrustPki.Now.AddMinutes(-5), TrustPki.Now.AddMonths(6));
        Assert.Null(CaCertificates.ChainProblem(cert, [root], TrustPki.Now));
        Assert.Equal("sha256RSA", cert.SignatureAlgorithm.FriendlyName);
    }

    [Fact]
    public void KeyMatches_OnlyForTheCertificatesOwnKey()
    {
        var (cert, key) = TrustPki.Intermediate("cluster-1");
        Assert.True(CaCertificates.KeyMatches(cert, key));
        Assert.False(CaCertificates.KeyMatches(cert, TrustPki.RootKey));
        var reloaded = CaCertificates.ImportPrivateKeyPem(CaCertificates.ExportPrivateKeyPem(key));
        Assert.True(CaCertificates.KeyMatches(cert, reloaded));
    }

    [Fact]
    public void CacertsFiles_VerifyWithOpenssl()
    {
        var (cert, key) = TrustPki.Intermediate("cluster-1");
        var files = CacertsFiles.Build(cert.ExportCertificatePem(), CaCertificates.ExportPrivateKeyPem(key), TrustPki.Root.ExportCertificatePem(),
            [TrustPki.Root.ExportCertificatePem()]);
        var dir = Directory.CreateTempSubdirectory("meshportal-trust-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "ca-cert.pem"), files.CaCertPem);
            File.WriteAllText(Path.Combine(dir.FullName, "root-cert.pem"), files.RootCertPem);
            File.WriteAllText(Path.Combine(dir.FullName, "cert-chain.pem"), files.CertChainPem);
            var (code, output) = Run(dir.FullName, "verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem");
            Assert.True(code == 0, output);
            Assert.Contains("ca-cert.pem: OK", output);

            // cert-chain.pem is the intermediate, then the root.
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(files.CertChainPem);
            Assert.Equal([cert.Thumbprint, TrustPki.Root.Thumbprint], chain.Select(c => c.Thumbprint).ToArray());

            // An intermediate of another root fails.
            var (foreign, _) = TrustPki.Intermediate("cluster-2", TrustPki.OtherRoot, TrustPki.OtherRootKey);
            File.WriteAllText(Path.Combine(dir.FullName, "foreign.pem"), foreign.ExportCertificatePem());
            Assert.NotEqual(0, Run(dir.FullName, "verify", "-CAfile", "root-cert.pem", "foreign.pem").Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Csr_CarriesSubjectAndExtensions()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = CaCertificates.CreateSigningRequestPem(key, "cluster-x");
        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.Equal("O=Istio, CN=Intermediate CA, L=cluster-x", request.SubjectName.Name);
        Assert.Contains(request.CertificateExtensions, e => e is X509BasicConstraintsExtension { CertificateAuthority: true });
    }

    private static (int Code, string Output) Run(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
