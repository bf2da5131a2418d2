namespace MeshPortal.Core.Platform.Kubernetes;

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
        else if (AddressRules.Denied(uri, policy.DeniedNetworks) is { } denied)
        {
            errors.Add(new(KubeconfigErrorCodes.AddressDenied,
                $"Cluster '{name}' has server {server}, which is in {denied} (link-local, cloud metadata or another network the portal may not dial). " +
                "MeshPortal does not connect there; use the API server's routable address, or ask an administrator to change MeshPortal:Clusters:DeniedNetworks."));
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

        if (cluster.Str("proxy-url") is { } proxy)
        {
            // The Kubernetes client library the portal uses has no proxy-url support: honouring it silently would dial directly.
            errors.Add(new(KubeconfigErrorCodes.ProxyRefused,
                $"Cluster '{name}' sets proxy-url ({proxy}), but MeshPortal connects to API servers directly and cannot use a proxy, " +
                "so it would bypass the proxy you set. Remove proxy-url if the portal's host reaches the API server directly, or run the portal inside that network."));
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

    private static readonly (string Section, string Inner, string[] Keys)[] SingleLineFields =
    [
        ("clusters", "cluster", ["server", "tls-server-name", "proxy-url"]),
        ("contexts", "context", ["cluster", "user", "namespace"]),
        ("users", "user", ["token", "username", "password"]),
    ];

    /// <summary>
    /// Names, addresses and credentials are one line of printable text: a CR/LF or other control character in them is
    /// refused (it would end up in headers, logs and the stored kubeconfig as given). Base64 data may be folded and is not checked here.
    /// </summary>
    public static void CheckControlCharacters(YMap root, List<KubeconfigError> errors)
    {
        if (root.Get("current-context") is YScalar current)
            CheckLine("current-context", current, errors);
        foreach (var (section, inner, keys) in SingleLineFields)
        {
            if (root.Get(section) is not YSeq seq)
                continue;
            for (var i = 0; i < seq.Items.Count; i++)
            {
                if (seq.Items[i] is not YMap entry)
                    continue;
                if (entry.Get("name") is YScalar name)
                    CheckLine($"{section}[{i}].name", name, errors);
                if (entry.Get(inner) is not YMap body)
                    continue;
                foreach (var key in keys)
                {
                    if (body.Get(key) is YScalar value)
                        CheckLine($"{section}[{i}].{inner}.{key}", value, errors);
                }
            }
        }
    }

    private static void CheckLine(string field, YScalar value, List<KubeconfigError> errors)
    {
        var bad = value.Value.FirstOrDefault(char.IsControl);
        if (bad != default)
        {
            errors.Add(new(KubeconfigErrorCodes.ControlCharacter,
                $"The field {field} contains a control character (U+{(int)bad:X4}); names, addresses and credentials must be one line of printable text.",
                value.Start.Line, value.Start.Column));
        }
    }
}
