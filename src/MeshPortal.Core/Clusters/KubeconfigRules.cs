namespace MeshPortal.Core.Clusters;

/// <summary>The refusal rules for one cluster entry and one user entry of a kubeconfig.</summary>
internal static class KubeconfigRules
{
    private static readonly string[] TrueValues = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"];

    public static bool IsTrue(string? value) => value is not null && TrueValues.Contains(value);

    public static void CheckCluster(string name, YMap cluster, KubeconfigPolicy policy, List<KubeconfigError> errors)
    {
        var server = cluster.Str("server");
        if (string.IsNullOrWhiteSpace(server))
        {
            errors.Add(new(KubeconfigErrorCodes.MissingServer, $"Cluster '{name}' has no 'server' URL.", cluster.Start.Line, cluster.Start.Column));
        }
        else if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host))
        {
            errors.Add(new(KubeconfigErrorCodes.InvalidServer,
                $"Cluster '{name}' has server '{server}', which is not an https:// URL with a host (e.g. https://203.0.113.10:6443)."));
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !policy.AllowInsecureHttp)
        {
            errors.Add(new(KubeconfigErrorCodes.InsecureHttpRefused,
                $"Cluster '{name}' uses plain HTTP ({server}); credentials would travel unencrypted. Use the cluster's https:// address, " +
                "or ask an administrator to set MeshPortal:Clusters:AllowInsecureHttp for test clusters."));
        }

        if (IsTrue(cluster.Str("insecure-skip-tls-verify")) && !policy.AllowInsecureSkipTlsVerify)
        {
            errors.Add(new(KubeconfigErrorCodes.SkipTlsVerifyRefused,
                $"Cluster '{name}' sets insecure-skip-tls-verify: true, so the API server's identity would not be checked. " +
                "Remove it and provide certificate-authority-data with the cluster's CA instead (kubectl config view --raw --minify shows it)."));
        }

        if (cluster.Has("certificate-authority"))
            errors.Add(FileRef(name, "cluster", "certificate-authority", "certificate-authority-data"));
        CheckBase64(name, "cluster", cluster, "certificate-authority-data", errors);
    }

    /// <summary>Returns the auth kind (token, client-certificate, basic, exec, auth-provider, none).</summary>
    public static string CheckUser(string name, YMap user, KubeconfigPolicy policy, List<KubeconfigError> errors)
    {
        if (user.Has("client-certificate"))
            errors.Add(FileRef(name, "user", "client-certificate", "client-certificate-data"));
        if (user.Has("client-key"))
            errors.Add(FileRef(name, "user", "client-key", "client-key-data"));
        foreach (var key in new[] { "tokenFile", "token-file" })
        {
            if (user.Has(key))
                errors.Add(FileRef(name, "user", key, "token"));
        }
        CheckBase64(name, "user", user, "client-certificate-data", errors);
        CheckBase64(name, "user", user, "client-key-data", errors);

        if (user.Get("exec") is YMap exec)
        {
            var command = exec.Str("command") ?? "";
            if (!policy.AllowedExecCommands.Contains(command, StringComparer.Ordinal))
            {
                errors.Add(new(KubeconfigErrorCodes.ExecPluginRefused,
                    $"User '{name}' gets its credentials by running the exec plugin '{command}'. That would run a program on the portal's host, " +
                    "so it is refused. Use a kubeconfig with a service-account token (kubectl create token ...) or a client certificate, " +
                    $"or ask an administrator to add '{command}' to MeshPortal:Clusters:AllowedExecCommands."));
            }
            return "exec";
        }

        if (user.Get("auth-provider") is YMap provider)
        {
            var providerName = provider.Str("name") ?? "";
            if (!policy.AllowedExecCommands.Contains(providerName, StringComparer.Ordinal))
            {
                errors.Add(new(KubeconfigErrorCodes.AuthProviderRefused,
                    $"User '{name}' uses the auth-provider '{providerName}', which can run a program on the portal's host (e.g. gcloud) or refresh tokens from it, " +
                    "so it is refused. Use a kubeconfig with a service-account token or a client certificate, " +
                    $"or ask an administrator to add '{providerName}' to MeshPortal:Clusters:AllowedExecCommands."));
            }
            return "auth-provider";
        }

        if (user.Has("client-certificate-data") || user.Has("client-certificate"))
            return "client-certificate";
        if (user.Has("token") || user.Has("tokenFile"))
            return "token";
        if (user.Has("username"))
            return "basic";
        return "none";
    }

    public static byte[]? Decode(YMap map, string key)
    {
        var value = map.Str(key);
        if (value is null)
            return null;
        try
        {
            return Convert.FromBase64String(string.Concat(value.Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void CheckBase64(string name, string kind, YMap map, string key, List<KubeconfigError> errors)
    {
        if (map.Str(key) is not null && Decode(map, key) is null)
        {
            errors.Add(new(KubeconfigErrorCodes.InvalidData,
                $"The {key} of {kind} '{name}' is not valid base64. Copy it again from kubectl config view --raw --minify.", map.Get(key)!.Start.Line, map.Get(key)!.Start.Column));
        }
    }

    private static KubeconfigError FileRef(string name, string kind, string key, string inlineKey) => new(
        KubeconfigErrorCodes.FileReferenceRefused,
        $"The {kind} '{name}' refers to a file with '{key}'. A pasted kubeconfig must be self-contained: the portal does not read files on its host. " +
        $"Use '{inlineKey}' with the content inline (kubectl config view --raw --minify --flatten produces this).");
}
