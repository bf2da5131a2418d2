using Microsoft.AspNetCore.DataProtection;

namespace MeshPortal.Core.Platform.Secrets;

/// <summary>Encrypts secrets at rest (kubeconfigs, CA private keys) with ASP.NET Core Data Protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector kubeconfigs = provider.CreateProtector("MeshPortal.Kubeconfig.v1");
    private readonly IDataProtector caKeys = provider.CreateProtector("MeshPortal.CaKey.v1");
    private readonly IDataProtector readerTokens = provider.CreateProtector("MeshPortal.ReaderToken.v1");
    private readonly IDataProtector alertChannels = provider.CreateProtector("MeshPortal.AlertChannel.v1");

    public string ProtectKubeconfig(string kubeconfig) => kubeconfigs.Protect(kubeconfig);

    public string UnprotectKubeconfig(string protectedKubeconfig) => kubeconfigs.Unprotect(protectedKubeconfig);

    /// <summary>A CA private key (PEM) of the mesh root or a cluster's intermediate.</summary>
    public string ProtectCaKey(string privateKeyPem) => caKeys.Protect(privateKeyPem);

    public string UnprotectCaKey(string protectedKey) => caKeys.Unprotect(protectedKey);

    /// <summary>A cluster's istio-reader-service-account token (what its peers' remote secrets carry).</summary>
    public string ProtectReaderToken(string token) => readerTokens.Protect(token);

    public string UnprotectReaderToken(string protectedToken) => readerTokens.Unprotect(protectedToken);

    /// <summary>An alert channel's URL or secret (webhook URLs carry credentials too).</summary>
    public string ProtectChannelSecret(string value) => alertChannels.Protect(value);

    public string UnprotectChannelSecret(string protectedValue) => alertChannels.Unprotect(protectedValue);
}
