using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>What the TLS handshake with the API server showed.</summary>
/// <param name="NoAnswer">The server closed or reset the connection before sending a certificate: nothing answers there
/// (an API server down behind a load balancer, or a port that is not an API server's).</param>
internal sealed record TlsProbeResult(bool Trusted, string Message, string? Hint, bool NoAnswer = false);

/// <summary>TLS handshake against the API server, validating its certificate the way kubectl does: against the kubeconfig's CA.</summary>
internal static class TlsProbe
{
    public static async Task<TlsProbeResult> HandshakeAsync(
        NetworkStream stream, string host, KubeconfigContextInfo context, CancellationToken ct)
    {
        var roots = LoadCertificates(context.CertificateAuthorityData);
        try
        {
            return await HandshakeAsync(stream, host, context, roots, ct).ConfigureAwait(false);
        }
        finally
        {
            foreach (var root in roots)
                root.Dispose();
        }
    }

    private static async Task<TlsProbeResult> HandshakeAsync(
        NetworkStream stream, string host, KubeconfigContextInfo context, X509Certificate2Collection roots, CancellationToken ct)
    {
        var targetHost = context.TlsServerName ?? host;
        if (context.CertificateAuthorityData is not null && roots.Count == 0)
            return new(false, "The kubeconfig's certificate-authority-data holds no readable certificate.",
                "Paste a kubeconfig whose certificate-authority-data is the base64 of the cluster's CA certificate (PEM) (kubectl config view --raw --minify).");

        X509Certificate2? serverCert = null;
        var chainOk = false;
        var chainStatus = "";
        var nameMismatch = false;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (certificate is null)
                    return false;
                // Copy: SslStream disposes its own instance after the handshake.
                serverCert = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                nameMismatch = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
                if (context.InsecureSkipTlsVerify)
                    return chainOk = true;
                if (roots.Count == 0)
                {
                    chainOk = !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors);
                    chainStatus = chainOk ? "" : Describe(chain);
                    return chainOk && !nameMismatch;
                }
                using var custom = new X509Chain();
                custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                custom.ChainPolicy.CustomTrustStore.AddRange(roots);
                if (chain is not null)
                    custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
                chainOk = custom.Build(serverCert);
                chainStatus = chainOk ? "" : Describe(custom);
                return chainOk && !nameMismatch;
            },
        };

        using var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            if (serverCert is null && ex is IOException)
                return new(false, $"The server at {host} accepted the connection, then closed it without answering the TLS handshake ({ex.GetType().Name}): no API server answers at this address.",
                    "The API server may be down behind its load balancer or proxy, or this is not the API server's port (usually 6443 or 443). Check the cluster's control plane; the portal checks again on its own.",
                    NoAnswer: true);
            if (serverCert is null)
                return new(false, $"The server at {host} did not complete a TLS handshake ({ex.GetType().Name}).",
                    "Is the kubeconfig's server the HTTPS port of the API server (usually 6443 or 443)? A plain-HTTP or non-Kubernetes port cannot complete TLS.");
            if (!chainOk)
                return new(false, $"The server's certificate ({serverCert.Subject}, issued by {serverCert.Issuer}) is not trusted: {chainStatus}.",
                    context.CertificateAuthorityData is null
                        ? "The kubeconfig has no certificate-authority-data and the certificate is not trusted by the portal host's CA store. Paste a kubeconfig with the cluster's CA (kubectl config view --raw --minify)."
                        : "The server's certificate is not signed by the kubeconfig's certificate-authority-data. Paste a kubeconfig with the cluster's CA (kubectl config view --raw --minify).");
            return new(false, $"The server's certificate ({serverCert.Subject}) is not valid for the host name '{targetHost}' ({SubjectNames(serverCert)}).",
                "Use a server address that is on the API server's certificate, or set tls-server-name in the kubeconfig's cluster to a name that is.");
        }

        using var cert = serverCert!;
        var how = context.InsecureSkipTlsVerify
            ? "NOT verified: the kubeconfig sets insecure-skip-tls-verify (allowed by the portal's settings)"
            : roots.Count > 0 ? "signed by the kubeconfig's certificate-authority-data" : "trusted by the portal host's CA store";
        return new(true,
            $"{Protocol(ssl.SslProtocol)}; certificate {cert.Subject}, valid until {cert.NotAfter.ToUniversalTime():yyyy-MM-dd}, {how}; host name '{targetHost}' {(nameMismatch ? "does NOT match" : "matches")}.",
            null);
    }

    /// <summary>Certificates from PEM (one or several) or DER bytes; empty when nothing readable.</summary>
    internal static X509Certificate2Collection LoadCertificates(byte[]? data)
    {
        var result = new X509Certificate2Collection();
        if (data is null || data.Length == 0)
            return result;
        try
        {
            var text = Encoding.ASCII.GetString(data);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                result.ImportFromPem(text);
            else
                result.Add(X509CertificateLoader.LoadCertificate(data));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            result.Clear();
        }
        return result;
    }

    private static string Protocol(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };

    private static string Describe(X509Chain? chain)
    {
        var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
        return statuses.Count == 0 ? "the chain could not be built" : string.Join(", ", statuses);
    }

    private static string SubjectNames(X509Certificate2 cert)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
            return "it has no subject alternative names";
        var names = san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(ip => ip.ToString())).ToList();
        return "it is valid for " + string.Join(", ", names);
    }
}
