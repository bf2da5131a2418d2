using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Tests.Core.Trust;

[Trait("Speed", "Fast")]
public sealed class RootValidationTests
{
    private static string Pem(X509Certificate2 c) => c.ExportCertificatePem();

    private static string KeyPem(AsymmetricAlgorithm k) => CaCertificates.ExportPrivateKeyPem(k);

    [Fact]
    public void Import_GoodRootAndKey_IsAccepted()
    {
        var (result, root) = RootImportValidator.Validate(Pem(TrustPki.Root), KeyPem(TrustPki.RootKey), TrustPki.Now);
        Assert.True(result.IsValid, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(CaKeyType.EcdsaP256, root!.KeyType);
    }

    [Fact]
    public void Import_Pkcs1AndSec1Keys_AreAccepted()
    {
        var rsa = TrustPki.Rsa2048;
        var rsaRoot = CaCertificates.CreateRoot(rsa, CaCertificates.RootSubject("Acme", "Acme Root"), TrustPki.Now.AddDays(-1), TrustPki.Now.AddYears(1));
        Assert.True(RootImportValidator.Validate(Pem(rsaRoot), rsa.ExportRSAPrivateKeyPem(), TrustPki.Now).Result.IsValid);
        Assert.True(RootImportValidator.Validate(Pem(TrustPki.Root), TrustPki.RootKey.ExportECPrivateKeyPem(), TrustPki.Now).Result.IsValid);
    }

    public static TheoryData<string, string, string> BadImports() => new()
    {
        { "not a CA", "certificatePem", "not a CA" },
        { "key mismatch", "privateKeyPem", "does not belong" },
        { "expired", "certificatePem", "expired on" },
        { "not yet valid", "certificatePem", "not valid yet" },
        { "two keys", "privateKeyPem", "2 private keys" },
        { "no key", "privateKeyPem", "No PEM private key" },
        { "encrypted key", "privateKeyPem", "encrypted" },
        { "rsa 1024", "privateKeyPem", "at least 2048" },
        { "curve p-521", "privateKeyPem", "P-521" },
        { "two certificates", "certificatePem", "2 certificates" },
        { "garbage", "certificatePem", "No PEM certificate" },
        { "not self-signed", "certificatePem", "not a root" },
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public void Import_BadInput_GetsASpecificFieldError(string kind, string field, string expected)
    {
        var (cert, key) = Case(kind);
        var (result, root) = RootImportValidator.Validate(cert, key, TrustPki.Now);
        Assert.Null(root);
        Assert.True(result.Errors.TryGetValue(field, out var messages), $"{kind}: {string.Join(" | ", result.Errors.SelectMany(e => e.Value))}");
        Assert.Contains(messages!, m => m.Contains(expected, StringComparison.OrdinalIgnoreCase));
    }

    private static (string Cert, string Key) Case(string kind)
    {
        switch (kind)
        {
            case "not a CA":
                var (leaf, leafKey) = TrustPki.Leaf();
                return (Pem(leaf), KeyPem(leafKey));
            case "key mismatch":
                return (Pem(TrustPki.Root), KeyPem(TrustPki.OtherRootKey));
            case "expired":
                var old = TrustPki.NewRoot("Old", TrustPki.Now.AddYears(-3), TrustPki.Now.AddDays(-1));
                return (Pem(old.Cert), KeyPem(old.Key));
            case "not yet valid":
                var future = TrustPki.NewRoot("Future", TrustPki.Now.AddDays(2), TrustPki.Now.AddYears(3));
                return (Pem(future.Cert), KeyPem(future.Key));
            case "two keys":
                return (Pem(TrustPki.Root), KeyPem(TrustPki.RootKey) + KeyPem(TrustPki.OtherRootKey));
            case "no key":
                return (Pem(TrustPki.Root), "just some text");
            case "encrypted key":
                return (Pem(TrustPki.Root), TrustPki.RootKey.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)));
            case "rsa 1024":
                using (var small = RSA.Create(1024))
                {
                    var smallRoot = new CertificateRequest("CN=Small", small, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    smallRoot.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                    return (Pem(smallRoot.CreateSelfSigned(TrustPki.Now.AddDays(-1), TrustPki.Now.AddYears(1))), KeyPem(small));
                }

            case "curve p-521":
                using (var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521))
                {
                    var r = CaCertificates.CreateRoot(p521, CaCertificates.RootSubject("Istio", "P521"), TrustPki.Now.AddDays(-1), TrustPki.Now.AddYears(1));
                    return (Pem(r), KeyPem(p521));
                }

            case "two certificates":
                return (Pem(TrustPki.Root) + Pem(TrustPki.OtherRoot), KeyPem(TrustPki.RootKey));
            case "garbage":
                return ("-----BEGIN NOTHING-----", KeyPem(TrustPki.RootKey));
            case "not self-signed":
                var (inter, interKey) = TrustPki.Intermediate("cluster-z");
                return (Pem(inter), KeyPem(interKey));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    [Fact]
    public void Generate_Defaults_AndBadFields()
    {
        var (ok, root) = RootRequestValidator.Validate(new CreateRootRequest("generate", "EcdsaP256"), TrustPki.Now, 3650);
        Assert.True(ok.IsValid);
        Assert.Equal("O=Istio, CN=Root CA", root!.Certificate.Subject);
        Assert.InRange((root.Certificate.NotAfter.ToUniversalTime() - TrustPki.Now.UtcDateTime).TotalDays, 3649, 3651);

        var (custom, customRoot) = RootRequestValidator.Validate(new CreateRootRequest("generate", "EcdsaP256", "Acme", "Acme Mesh Root"), TrustPki.Now, 3650);
        Assert.True(custom.IsValid);
        Assert.Equal("O=Acme, CN=Acme Mesh Root", customRoot!.Certificate.Subject);

        Assert.True(RootRequestValidator.Validate(new CreateRootRequest("generate", "Dsa1024"), TrustPki.Now, 1).Result.Has("keyType"));
        Assert.True(RootRequestValidator.Validate(new CreateRootRequest("generate", "EcdsaP256", new string('x', 65)), TrustPki.Now, 1).Result.Has("organization"));
        Assert.True(RootRequestValidator.Validate(new CreateRootRequest("generate", "EcdsaP256", null, "a\u0001b"), TrustPki.Now, 1).Result.Has("commonName"));
        Assert.True(RootRequestValidator.Validate(new CreateRootRequest("magic"), TrustPki.Now, 1).Result.Has("mode"));
    }

    [Fact]
    public void External_AcceptsCertificateOnly()
    {
        var (ok, root) = RootRequestValidator.Validate(new CreateRootRequest("external", CertificatePem: Pem(TrustPki.OtherRoot)), TrustPki.Now, 1);
        Assert.True(ok.IsValid);
        Assert.Null(root!.Key);
        Assert.Equal(MeshPortal.Core.Features.Trust.RootMode.External, root.Mode);
    }

    [Fact]
    public void SignedIntermediate_MustMatchKeyChainAndBeCa()
    {
        var (cert, key) = TrustPki.Intermediate("cluster-1");
        Assert.True(SignedIntermediateValidator.Validate(Pem(cert), TrustPki.Root, key, TrustPki.Now).Result.IsValid);
        Assert.Contains("not for this cluster's key", Errors(SignedIntermediateValidator.Validate(Pem(cert), TrustPki.Root, TrustPki.OtherRootKey, TrustPki.Now).Result));
        var (foreign, foreignKey) = TrustPki.Intermediate("cluster-1", TrustPki.OtherRoot, TrustPki.OtherRootKey);
        Assert.Contains("does not chain", Errors(SignedIntermediateValidator.Validate(Pem(foreign), TrustPki.Root, foreignKey, TrustPki.Now).Result));
        var (leaf, leafKey) = TrustPki.Leaf();
        Assert.Contains("not a CA", Errors(SignedIntermediateValidator.Validate(Pem(leaf), TrustPki.Root, leafKey, TrustPki.Now).Result));
    }

    private static string Errors(CaValidation v) => string.Join(" ", v.Errors.SelectMany(e => e.Value));
}
