using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class KubeconfigRefusalTests
{
    private static readonly KubeconfigPolicy Default = KubeconfigPolicy.Default;

    private static KubeconfigError Single(KubeconfigParseResult result, string code)
    {
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors, e => e.Code == code);
    }

    [Fact]
    public void Exec_plugin_is_refused_by_default_saying_it_would_run_a_program()
    {
        var result = KubeconfigParser.Parse(Kubeconfigs.Build(user: Kubeconfigs.ExecUser), Default);
        var error = Single(result, KubeconfigErrorCodes.ExecPluginRefused);
        Assert.Contains("gke-gcloud-auth-plugin", error.Message);
        Assert.Contains("run a program on the portal's host", error.Message);
        Assert.Equal("exec", result.Summary!.Contexts[0].AuthKind);
    }

    [Fact]
    public void Exec_plugin_named_in_the_allow_list_is_accepted()
    {
        var policy = Default with { AllowedExecCommands = ["gke-gcloud-auth-plugin"] };
        Assert.True(KubeconfigParser.Parse(Kubeconfigs.Build(user: Kubeconfigs.ExecUser), policy).IsValid);
    }

    [Fact]
    public void Allow_list_matches_the_exact_command_only()
    {
        var policy = Default with { AllowedExecCommands = ["gke-gcloud-auth-plugin"] };
        var text = Kubeconfigs.Build(user: Kubeconfigs.ExecUser.Replace("command: gke-gcloud-auth-plugin", "command: /tmp/x/gke-gcloud-auth-plugin", StringComparison.Ordinal));
        Single(KubeconfigParser.Parse(text, policy), KubeconfigErrorCodes.ExecPluginRefused);
    }

    [Fact]
    public void Auth_provider_is_refused_by_default_and_allowed_by_name()
    {
        var text = Kubeconfigs.Build(user: Kubeconfigs.AuthProviderUser);
        var error = Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.AuthProviderRefused);
        Assert.Contains("'gcp'", error.Message);
        Assert.True(KubeconfigParser.Parse(text, Default with { AllowedExecCommands = ["gcp"] }).IsValid);
    }

    [Fact]
    public void Plain_http_server_is_refused_unless_allowed()
    {
        var text = Kubeconfigs.Build(server: "http://127.0.0.1:8080");
        var error = Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.InsecureHttpRefused);
        Assert.Contains("AllowInsecureHttp", error.Message);
        Assert.True(KubeconfigParser.Parse(text, Default with { AllowInsecureHttp = true }).IsValid);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    [InlineData("127.0.0.1:6443")]
    public void Server_that_is_not_an_http_url_is_refused(string server) =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build(server: server), Default), KubeconfigErrorCodes.InvalidServer);

    [Fact]
    public void Missing_server_is_refused() =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build().Replace("    server: https://127.0.0.1:6443\n", "", StringComparison.Ordinal), Default),
            KubeconfigErrorCodes.MissingServer);

    [Theory]
    [InlineData("true")]
    [InlineData("\"true\"")]
    [InlineData("yes")]
    public void Insecure_skip_tls_verify_is_refused_unless_allowed(string value)
    {
        var text = Kubeconfigs.Build(clusterExtra: $"    insecure-skip-tls-verify: {value}");
        var error = Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.SkipTlsVerifyRefused);
        Assert.Contains("certificate-authority-data", error.Message);
        var allowed = KubeconfigParser.Parse(text, Default with { AllowInsecureSkipTlsVerify = true });
        Assert.True(allowed.IsValid);
        Assert.True(allowed.Selected!.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Insecure_skip_tls_verify_false_is_fine() =>
        Assert.True(KubeconfigParser.Parse(Kubeconfigs.Build(clusterExtra: "    insecure-skip-tls-verify: false"), Default).IsValid);

    [Theory]
    [InlineData("cluster", "    certificate-authority: /etc/kubernetes/ca.crt")]
    [InlineData("user", "    client-certificate: /home/me/.kube/client.crt")]
    [InlineData("user", "    client-key: /home/me/.kube/client.key")]
    [InlineData("user", "    tokenFile: /var/run/secrets/token")]
    public void File_references_are_refused(string where, string line)
    {
        var text = where == "cluster" ? Kubeconfigs.Build(clusterExtra: line) : Kubeconfigs.Build(user: "    token: t\n" + line);
        var error = Single(KubeconfigParser.Parse(text, Default), KubeconfigErrorCodes.FileReferenceRefused);
        Assert.Contains("self-contained", error.Message);
        Assert.Contains("-data", error.Message.Replace("'token'", "-data", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_base64_data_is_refused() =>
        Single(KubeconfigParser.Parse(Kubeconfigs.Build(user: "    client-certificate-data: '%%%not-base64'\n    client-key-data: AAAA"), Default),
            KubeconfigErrorCodes.InvalidData);

    [Fact]
    public void Problems_of_other_contexts_do_not_block_the_chosen_one()
    {
        const string text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c1
              cluster:
                server: https://127.0.0.1:6443
            contexts:
            - name: ctx-a
              context: {cluster: c1, user: u1}
            - name: ctx-b
              context: {cluster: c1, user: u2}
            users:
            - name: u1
              user: {token: t}
            - name: u2
              user:
                exec: {command: aws, args: [eks, get-token]}
            """;

        var none = KubeconfigParser.Parse(text, Default);
        Assert.Contains(none.Errors, e => e.Code == KubeconfigErrorCodes.ContextRequired);
        Assert.Equal(["ctx-a", "ctx-b"], none.Summary!.Contexts.Select(c => c.Name));
        Assert.True(KubeconfigParser.Parse(text, Default, "ctx-a").IsValid);
        Single(KubeconfigParser.Parse(text, Default, "ctx-b"), KubeconfigErrorCodes.ExecPluginRefused);
    }
}

/// <summary>Issue 17: fields that must be one line, proxies the client cannot honour, no guessed context, broken flow YAML.</summary>
[Trait("Speed", "Fast")]
public class KubeconfigFieldTests
{
    private static readonly KubeconfigPolicy Default = KubeconfigPolicy.Default;

    [Theory]
    [InlineData("token", "    token: \"secret\\r\\nX-Injected: 1\"", "users[0].user.token")]
    [InlineData("username", "    username: \"admin\\n\"\n    password: p", "users[0].user.username")]
    [InlineData("escape", "    token: \"abc\\edef\"", "users[0].user.token")]
    public void A_control_character_in_a_credential_is_refused_naming_the_field(string _, string user, string field)
    {
        var result = KubeconfigParser.Parse(Kubeconfigs.Build(user: user), Default);
        var error = Assert.Single(result.Errors, e => e.Code == KubeconfigErrorCodes.ControlCharacter);
        Assert.Contains(field, error.Message);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void A_control_character_in_a_name_or_server_is_refused()
    {
        var text = Kubeconfigs.Build(server: "\"https://127.0.0.1:6443\\r\\n\"", currentContext: "\"ctx-a\\u0007\"");
        var result = KubeconfigParser.Parse(text, Default, "ctx-a");
        Assert.Contains(result.Errors, e => e.Code == KubeconfigErrorCodes.ControlCharacter && e.Message.Contains("clusters[0].cluster.server"));
        Assert.Contains(result.Errors, e => e.Code == KubeconfigErrorCodes.ControlCharacter && e.Message.Contains("current-context"));
    }

    [Fact]
    public void Base64_data_folded_over_lines_is_still_accepted() =>
        Assert.True(KubeconfigParser.Parse(Kubeconfigs.Build(), Default).IsValid);

    [Fact]
    public void Proxy_url_is_refused_with_the_reason()
    {
        var result = KubeconfigParser.Parse(Kubeconfigs.Build(clusterExtra: "    proxy-url: http://proxy.example:3128"), Default);
        var error = Assert.Single(result.Errors, e => e.Code == KubeconfigErrorCodes.ProxyRefused);
        Assert.Contains("http://proxy.example:3128", error.Message);
        Assert.Contains("cannot use a proxy", error.Message);
    }

    [Fact]
    public void Without_current_context_even_the_only_context_must_be_chosen_like_kubectl()
    {
        var text = Kubeconfigs.Build().Replace("current-context: ctx-a\n", "", StringComparison.Ordinal);
        var result = KubeconfigParser.Parse(text, Default);
        Assert.Contains(result.Errors, e => e.Code == KubeconfigErrorCodes.ContextRequired && e.Message.Contains("no current-context"));
        Assert.Null(result.Selected);
        Assert.True(KubeconfigParser.Parse(text, Default, "ctx-a").IsValid);
    }

    [Theory]
    [InlineData("apiVersion: v1\nclusters: {name: x, cluster: {server: https://127.0.0.1:6443}\n")]
    [InlineData("{a: 1")]
    [InlineData("clusters: [ {name: x\n")]
    [InlineData("a: {b: [c, {d: e}\n")]
    public void Unclosed_flow_collections_are_malformed_not_a_crash(string text)
    {
        var result = KubeconfigParser.Parse(text, Default);
        Assert.Contains(result.Errors, e => e.Code == KubeconfigErrorCodes.Malformed);
    }
}

/// <summary>Issue 17, finding 15: the check never dials link-local or metadata addresses (configurable deny-list).</summary>
[Trait("Speed", "Fast")]
public class ApiServerAddressTests
{
    [Theory]
    [InlineData("https://169.254.169.254", "169.254.0.0/16")]
    [InlineData("https://169.254.10.1:6443", "169.254.0.0/16")]
    [InlineData("https://[fd00:ec2::254]", "fd00:ec2::254/128")]
    [InlineData("https://[::ffff:169.254.169.254]", "169.254.0.0/16")]
    [InlineData("https://[fe80::1]:6443", "fe80::/10")]
    [InlineData("https://100.100.100.200", "100.100.100.200/32")]
    [InlineData("https://metadata.google.internal", "cloud metadata host")]
    [InlineData("https://METADATA.GOOGLE.INTERNAL.", "cloud metadata host")]
    public void Link_local_and_metadata_servers_are_refused_by_default(string server, string named)
    {
        var result = KubeconfigParser.Parse(Kubeconfigs.Build(server: server), new ClusterAccessOptions().ToPolicy());
        var error = Assert.Single(result.Errors, e => e.Code == KubeconfigErrorCodes.AddressDenied);
        Assert.Contains(named, error.Message);
        Assert.Contains("DeniedNetworks", error.Message);
    }

    [Fact]
    public void Loopback_is_allowed_by_default_for_the_simulator_and_refused_when_configured()
    {
        var text = Kubeconfigs.Build(server: "https://127.0.0.1:6443");
        Assert.True(KubeconfigParser.Parse(text, new ClusterAccessOptions().ToPolicy()).IsValid);
        Assert.Contains(KubeconfigParser.Parse(text, new ClusterAccessOptions { DenyLoopback = true }.ToPolicy()).Errors, e => e.Code == KubeconfigErrorCodes.AddressDenied);
        Assert.Contains(KubeconfigParser.Parse(Kubeconfigs.Build(server: "https://[::1]:6443"), new ClusterAccessOptions { DenyLoopback = true }.ToPolicy()).Errors,
            e => e.Code == KubeconfigErrorCodes.AddressDenied);
    }

    [Fact]
    public void More_networks_can_be_denied_and_the_defaults_turned_off()
    {
        var internalNet = Kubeconfigs.Build(server: "https://10.1.2.3:6443");
        Assert.True(KubeconfigParser.Parse(internalNet, new ClusterAccessOptions().ToPolicy()).IsValid);
        Assert.Contains(KubeconfigParser.Parse(internalNet, new ClusterAccessOptions { DeniedNetworks = ["10.0.0.0/8"] }.ToPolicy()).Errors,
            e => e.Code == KubeconfigErrorCodes.AddressDenied && e.Message.Contains("10.0.0.0/8"));
        Assert.True(KubeconfigParser.Parse(Kubeconfigs.Build(server: "https://169.254.1.1"), new ClusterAccessOptions { DenyLinkLocalAndMetadata = false }.ToPolicy()).IsValid);
        var bad = Assert.Throws<InvalidOperationException>(() => new ClusterAccessOptions { DeniedNetworks = ["10.0.0.0/40"] }.ToPolicy());
        Assert.Contains("'10.0.0.0/40'", bad.Message);
    }
}
