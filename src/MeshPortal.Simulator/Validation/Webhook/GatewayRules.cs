using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateGateway</c>, <c>validateServer</c>, <c>validateServerPort</c>, <c>validateServerBind</c> and
/// <c>validateTLSOptions</c> (<c>pkg/config/validation/validation.go</c> 1.24.0; 1.28.0 for multiple certificates, 1.27+),
/// with each later addition gated on the release that introduced it (checked tag by tag from 1.6.0).
/// </summary>
internal static class GatewayRules
{
    private static readonly HashSet<string> ValidCiphers =
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
        "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
    ];

    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        if (!IstioNames.IsDns1123Label(cfg.Name))
        {
            v.Error($"invalid gateway name: \"{cfg.Name}\"");
        }

        var servers = cfg.Spec.Objects("servers");
        if (servers.Count == 0)
        {
            v.Error("gateway must have at least one server");
        }

        foreach (var server in servers)
        {
            Server(cfg, server, v);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var server in servers)
        {
            if (server.Obj("port") is not { } port)
            {
                continue;
            }

            if (!names.Add(port.Str("name")))
            {
                v.Error($"port names in servers must be unique: duplicate name {port.Str("name")}");
            }

            if (cfg.AtLeast(9) && !IstioNames.IsHttp(port.Str("protocol")) && server.Obj("tls").Flag("httpsRedirect"))
            {
                v.Warning("tls.httpsRedirect should only be used with http servers");
            }
        }
    }

    private static void Server(IstioConfig cfg, JsonObject server, IstioValidation v)
    {
        var hosts = server.Strings("hosts");
        if (hosts.Count == 0)
        {
            v.Error("server config must contain at least one host");
        }

        foreach (var host in hosts)
        {
            CommonRules.NamespaceSlashHostname(cfg, host, isGateway: true, v);
        }

        var port = server.Obj("port");
        var bind = server.Str("bind");
        var before = v.ErrorCount;
        ServerPort(cfg, port, bind, v);
        var portOk = v.ErrorCount == before;
        if (cfg.AtLeast(10))
        {
            ServerBind(port, bind, v);
        }

        var tls = server.Obj("tls");
        TlsOptions(cfg, tls, v);
        if (!portOk)
        {
            return;
        }

        var protocol = port.Str("protocol");
        if (IstioNames.IsTls(protocol) && tls is null)
        {
            v.Error("server must have TLS settings for HTTPS/TLS protocols");
        }
        else if (!IstioNames.IsTls(protocol) && tls is not null)
        {
            if (!IstioNames.IsHttp(protocol))
            {
                v.Error("server cannot have TLS settings for non HTTPS/TLS ports");
            }
            else if (!(TlsMode(tls) is "PASSTHROUGH" or "AUTO_PASSTHROUGH") || tls.Str("caCertificates").Length > 0 ||
                     tls.Str("privateKey").Length > 0 || tls.Str("serverCertificate").Length > 0)
            {
                v.Error("server cannot have TLS settings for plain text HTTP ports");
            }
        }
    }

    private static void ServerPort(IstioConfig cfg, JsonObject? port, string bind, IstioValidation v)
    {
        if (port is null)
        {
            v.Error("port is required");
            return;
        }

        if (IstioNames.IsUnsupported(port.Str("protocol")))
        {
            v.Error($"invalid protocol \"{port.Str("protocol")}\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
        }

        var number = port.Num("number");
        if (cfg.AtLeast(10) ? number > 0 || !bind.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal) : number > 0)
        {
            v.Error(IstioNames.ValidatePort(number));
        }

        if (cfg.AtLeast(20) && port.Num("targetPort") > 0)
        {
            v.Error("targetPort has no impact on Gateways");
        }

        if (port.Str("name").Length == 0)
        {
            v.Error($"port name must be set: {ProtoText(port)}");
        }
    }

    private static void ServerBind(JsonObject? port, string bind, IstioValidation v)
    {
        if (bind.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal))
        {
            v.Error(IstioNames.ValidateUnixAddress(bind[IstioNames.UnixAddressPrefix.Length..]));
            if (port is not null && port.Num("number") != 0)
            {
                v.Error($"port number must be 0 for unix domain socket: {ProtoText(port)}");
            }
        }
        else if (bind.Length != 0)
        {
            v.Error(IstioNames.ValidateIpAddress(bind));
        }
    }

    private static string TlsMode(JsonObject tls) => tls.Has("mode") ? tls.Str("mode") : "PASSTHROUGH";

    public static void TlsOptions(IstioConfig cfg, JsonObject? tls, IstioValidation v)
    {
        if (tls is null)
        {
            return;
        }

        var mode = TlsMode(tls);
        var ciphers = tls.Strings("cipherSuites");
        if (cfg.AtLeast(16) && tls.Str("minProtocolVersion") is "TLSV1_0" or "TLSV1_1" && ciphers.Count == 0)
        {
            v.Warning("TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
        }

        if (cfg.AtLeast(11))
        {
            var valid = new HashSet<string>(StringComparer.Ordinal);
            var invalid = new SortedSet<string>(StringComparer.Ordinal);
            var duplicate = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var cs in ciphers)
            {
                if (!(cs.Length == 0 || cs == "ALL" || !char.IsLetterOrDigit(cs[0]) || ValidCiphers.Contains(cs)))
                {
                    invalid.Add(cs);
                }
                else if (!valid.Add(cs))
                {
                    duplicate.Add(cs);
                }
            }

            if (invalid.Count > 0)
            {
                v.Warning($"ignoring invalid cipher suites: [{string.Join(" ", invalid)}]");
            }

            if (duplicate.Count > 0)
            {
                v.Warning($"ignoring duplicate cipher suites: [{string.Join(" ", duplicate)}]");
            }
        }

        var serverCertificate = tls.Str("serverCertificate");
        var privateKey = tls.Str("privateKey");
        var caCertificates = tls.Str("caCertificates");
        var credentialName = tls.Str("credentialName");
        var credentialNames = cfg.AtLeast(27) ? tls.Strings("credentialNames") : [];
        var tlsCertificates = cfg.AtLeast(27) ? tls.Objects("tlsCertificates") : [];
        var caCrl = cfg.AtLeast(22) ? tls.Str("caCrl") : "";
        if (mode == "ISTIO_MUTUAL")
        {
            v.Error(serverCertificate.Length > 0 ? "ISTIO_MUTUAL TLS cannot have associated server certificate" : null);
            v.Error(privateKey.Length > 0 ? "ISTIO_MUTUAL TLS cannot have associated private key" : null);
            v.Error(caCertificates.Length > 0 ? "ISTIO_MUTUAL TLS cannot have associated CA bundle" : null);
            v.Error(tlsCertificates.Count > 0 ? "ISTIO_MUTUAL TLS cannot have associated tlsCertificates" : null);
            v.Error(cfg.AtLeast(13) && credentialName.Length > 0 ? "ISTIO_MUTUAL TLS cannot have associated credentialName" : null);
            v.Error(credentialNames.Count > 0 ? "ISTIO_MUTUAL TLS cannot have associated credentialNames" : null);
            return;
        }

        if (cfg.AtLeast(14) && mode is "PASSTHROUGH" or "AUTO_PASSTHROUGH" &&
            (caCrl.Length > 0 || serverCertificate.Length > 0 || privateKey.Length > 0 || caCertificates.Length > 0 || tlsCertificates.Count > 0 ||
             credentialName.Length > 0 || credentialNames.Count > 0))
        {
            v.Warning($"{mode} mode does not use certificates, they will be ignored");
        }

        var terminating = mode is "SIMPLE" or "MUTUAL" || (cfg.AtLeast(20) && mode == "OPTIONAL_MUTUAL");
        if (cfg.AtLeast(27))
        {
            var sources = (serverCertificate.Length > 0 && privateKey.Length > 0 ? 1 : 0) + (credentialName.Length > 0 ? 1 : 0) +
                          (credentialNames.Count > 0 ? 1 : 0) + (tlsCertificates.Count > 0 ? 1 : 0);
            if (sources > 1)
            {
                v.Error("only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
            }
        }

        if (terminating && (credentialName.Length > 0 || credentialNames.Count > 0))
        {
            return;
        }

        if (terminating)
        {
            var prefix = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
            var certs = tlsCertificates.Count > 0
                ? tlsCertificates.Select(c => (c.Str("serverCertificate"), c.Str("privateKey"))).ToList()
                : [(serverCertificate, privateKey)];
            if (cfg.AtLeast(27))
            {
                if (prefix == "MUTUAL TLS" && caCertificates.Length == 0)
                {
                    v.Error($"{prefix} requires a client CA bundle");
                }

                if (tlsCertificates.Count > 2)
                {
                    v.Warning($"{prefix} can support up to 2 server certificates");
                }
            }

            foreach (var (cert, key) in certs)
            {
                v.Error(cert.Length == 0 ? $"{prefix} requires a server certificate" : null);
                v.Error(key.Length == 0 ? $"{prefix} requires a private key" : null);
            }

            if (!cfg.AtLeast(27) && prefix == "MUTUAL TLS" && caCertificates.Length == 0)
            {
                v.Error($"{prefix} requires a client CA bundle");
            }
        }

        if (caCrl.Length > 0)
        {
            v.Error(credentialName.Length > 0 ? "CRL is not supported with credentialName. CRL has to be specified in the credential" : null);
            v.Error(mode == "SIMPLE" ? "CRL is not supported with SIMPLE TLS" : null);
        }
    }

    /// <summary>Go's <c>%v</c> of a proto message (protobuf text format), e.g. <c>number:80 protocol:"HTTP"</c>.</summary>
    public static string ProtoText(JsonObject message) => string.Join(" ", message.Select(p => p.Value switch
    {
        JsonValue s when s.GetValueKind() == System.Text.Json.JsonValueKind.String => $"{ToSnake(p.Key)}:\"{(string)s!}\"",
        _ => $"{ToSnake(p.Key)}:{p.Value?.ToJsonString()}",
    }));

    private static string ToSnake(string name) => string.Concat(name.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
}
