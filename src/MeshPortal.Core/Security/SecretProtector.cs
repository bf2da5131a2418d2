using Microsoft.AspNetCore.DataProtection;

namespace MeshPortal.Core.Security;

/// <summary>Encrypts secrets at rest (kubeconfigs, later CA keys) with ASP.NET Core Data Protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector kubeconfigs = provider.CreateProtector("MeshPortal.Kubeconfig.v1");

    public string ProtectKubeconfig(string kubeconfig) => kubeconfigs.Protect(kubeconfig);

    public string UnprotectKubeconfig(string protectedKubeconfig) => kubeconfigs.Unprotect(protectedKubeconfig);
}
