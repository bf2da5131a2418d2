using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Platform.Secrets;

namespace MeshPortal.Core.Features.Trust;

/// <summary>A stored root with its certificate parsed and (unless external) its private key loaded. Dispose after use.</summary>
public sealed class RootMaterial : IDisposable
{
    private RootMaterial(MeshRootEntity entity, X509Certificate2 certificate, AsymmetricAlgorithm? key)
    {
        Entity = entity;
        Certificate = certificate;
        Key = key;
    }

    public MeshRootEntity Entity { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>Null for an external root (the company CA keeps the key).</summary>
    public AsymmetricAlgorithm? Key { get; }

    public static RootMaterial Load(MeshRootEntity root, SecretProtector secrets) => new(
        root,
        X509Certificate2.CreateFromPem(root.CertificatePem),
        root.ProtectedPrivateKey is null ? null : CaCertificates.ImportPrivateKeyPem(secrets.UnprotectCaKey(root.ProtectedPrivateKey)));

    public void Dispose()
    {
        Certificate.Dispose();
        Key?.Dispose();
    }
}
