namespace MeshPortal.Core.Features.Probes;

/// <summary>A classified probe answer: its class, a one-line message (what curl saw) and a hint (what to check).</summary>
public sealed record ProbeClassification(ProbeStatus Status, string Message, string? Hint);

/// <summary>Turns what curl reported into a <see cref="ProbeStatus"/> with a human hint (pure; see MESH-RULES.md for the strings).</summary>
public static class ProbeClassifier
{
    public static ProbeClassification Classify(CurlOutcome outcome, string host, int port)
    {
        var classified = ClassifyAny(outcome, host, port);
        return ModernHints.IsModernHost(host) && classified.Status != ProbeStatus.Ok
            ? classified with { Hint = ModernHints.For(classified.Status, classified.Message, host) ?? classified.Hint }
            : classified;
    }

    private static ProbeClassification ClassifyAny(CurlOutcome outcome, string host, int port)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var text = outcome.Text ?? "";
        var firstLine = FirstLine(text);
        switch (outcome.ExitCode)
        {
            case 0:
                return FromHttp(outcome.HttpCode, text, host, port);
            case 6:
                return new(ProbeStatus.Dns, Or(firstLine, $"Could not resolve host: {host}"), ProbeHints.Dns);
            case 7:
                return new(ProbeStatus.Connect, Or(firstLine, "Connection refused"), ProbeHints.Refused);
            case 28:
                return new(ProbeStatus.Connect, Or(firstLine, "Operation timed out"), ProbeHints.Timeout(port));
            case 56 or 52:
                return new(ProbeStatus.Connect, Or(firstLine, "Connection reset by peer"), ProbeHints.Reset(port));
            case 35 or 60:
                return new(ProbeStatus.Tls, Or(firstLine, "TLS handshake failed"), ProbeHints.ClientTls);
            default:
                return new(ProbeStatus.Unknown, Or(firstLine, $"curl exited with code {outcome.ExitCode}"),
                    "The probe itself failed (an unexpected curl exit code); the service may be fine. Check the probe pod's curl.");
        }
    }

    /// <summary>The cluster API could not run the probe: unknown, never red and never the previous green.</summary>
    public static ProbeClassification ApiUnreachable(string reason) =>
        new(ProbeStatus.Unknown, reason, "The consumer cluster's API server could not be reached, so nothing was probed; the link's health is unknown, not broken.");

    public static ProbeClassification PodMissing(string @namespace, string selector) =>
        new(ProbeStatus.ProbePodMissing, $"No running probe pod matches {selector} in namespace {@namespace}.",
            $"Deploy a sleep-like pod with curl and an Istio sidecar (label {selector} in {@namespace}), or set the cluster's probe pod (namespace and selector) on its page, or let MeshPortal deploy its own probe pod there.");

    /// <summary>The link cannot work in the <c>.global</c> model (see <see cref="GlobalModelPairs"/>): it is not probed.</summary>
    public static ProbeClassification Unsupported(string reason, string? hint) => new(ProbeStatus.Unsupported, reason, hint);

    /// <summary>Nothing was pushed for the link yet because a cluster's mesh model is unknown.</summary>
    public static ProbeClassification NotPushed(string reason, string? hint) => new(ProbeStatus.Unknown, reason, hint);

    public static ProbeClassification NoAnswer(string reason) =>
        new(ProbeStatus.Unknown, reason, "The probe produced no result for this target (the exec was cut short); the next cycle retries.");

    private static ProbeClassification FromHttp(int code, string body, string host, int port)
    {
        var status = $"HTTP {code}";
        if (code == 403 && body.Contains("RBAC: access denied", StringComparison.Ordinal))
        {
            // Envoy's RBAC filter (an AuthorizationPolicy at the target): the path works, a policy refuses this caller.
            return new(ProbeStatus.RbacDenied, $"{status}: RBAC: access denied", ProbeHints.RbacDenied(host));
        }

        if (code is >= 200 and < 400 or 401 or 403 or 405)
        {
            return new(ProbeStatus.Ok, status, null);
        }

        if (code == 404)
        {
            return new(ProbeStatus.NotFound, $"{status} from Envoy", ProbeHints.NotFound(host));
        }

        if (body.Contains("CERTIFICATE_VERIFY_FAILED", StringComparison.Ordinal) || body.Contains("TLS error", StringComparison.Ordinal)
            || body.Contains("unknown ca", StringComparison.OrdinalIgnoreCase))
        {
            return new(ProbeStatus.Tls, $"{status}: {FirstLine(body)}", ProbeHints.Trust);
        }

        if (body.Contains("no healthy upstream", StringComparison.Ordinal))
        {
            return new(ProbeStatus.NoUpstream, $"{status}: no healthy upstream", ProbeHints.NoUpstream(host));
        }

        if (body.Contains("connection termination", StringComparison.Ordinal))
        {
            return new(ProbeStatus.NoUpstream, $"{status}: {FirstLine(body)}", ProbeHints.Termination);
        }

        if (body.Contains("connection failure", StringComparison.Ordinal) || body.Contains("upstream connect error", StringComparison.Ordinal))
        {
            return new(ProbeStatus.Connect, $"{status}: {FirstLine(body)}", ProbeHints.GatewayConnect(port));
        }

        if (code == 0)
        {
            return new(ProbeStatus.Unknown, Or(FirstLine(body), "no HTTP answer"), null);
        }

        return code >= 500
            ? new(ProbeStatus.NoUpstream, Or($"{status}: {FirstLine(body)}", status), "The target answered with a server error: check the target service's logs and pods.")
            : new(ProbeStatus.Ok, status, null);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length <= 240 ? line : line[..240] + "…";
    }

    private static string Or(string value, string fallback) => string.IsNullOrWhiteSpace(value) || value.EndsWith(": ", StringComparison.Ordinal) ? fallback : value;
}
