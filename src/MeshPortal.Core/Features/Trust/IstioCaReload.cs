namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Whether istiod picks up a changed <c>cacerts</c> by itself. istiod reads <c>istio-system/cacerts</c> when it starts
/// (<c>createIstioCA</c> in <c>pilot/pkg/bootstrap/istio_ca.go</c>@1.18.0): without <c>ca-key.pem</c> it takes the self-signed branch
/// (<c>istio-ca-secret</c>); only the plugged-cert branch calls <c>s.initCACertsWatcher()</c>, and only when
/// <c>features.AutoReloadPluginCerts</c> (<c>AUTO_RELOAD_PLUGIN_CERTS</c>, default false in <c>pilot/pkg/features/pilot.go</c>@1.17.0,
/// true @1.18.0). So an istiod that started self-signed never reloads, whatever the version, and before 1.18 MeshPortal always asks
/// for a restart (also where someone set the flag on 1.14–1.17: a restart is harmless, a missed one is not).
/// </summary>
public static class IstioCaReload
{
    public static readonly Version AutoReloadSince = new(1, 18);

    public const string Explanation =
        "istiod reads istio-system/cacerts when it starts. From 1.18 it reloads a changed cacerts by itself (AUTO_RELOAD_PLUGIN_CERTS) only if it " +
        "started with plugged-in certs; before 1.18, or when it started on its self-signed istio-ca-secret, it must be restarted after the new " +
        "cacerts is synced so that it signs workload certificates with it.";

    /// <summary>
    /// True when istiod must be restarted to use a changed <c>cacerts</c>: before 1.18 always; from 1.18 when it started without plugged-in
    /// certs. An unknown version, or not knowing how istiod started (<paramref name="startedPlugged"/> null), counts as "restart"
    /// (a restart is always safe, a missed one leaves the mesh on the old CA).
    /// </summary>
    public static bool NeedsRestart(string? istioVersion, bool? startedPlugged) =>
        Parse(istioVersion) is not { } v || v < AutoReloadSince || startedPlugged != true;

    /// <summary>Before the portal has seen istiod: restart needed when the version is known and older than 1.18 (for the overview).</summary>
    public static bool NeedsRestartByVersion(string? istioVersion) => Parse(istioVersion) is { } v && v < AutoReloadSince;

    public static Version? Parse(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return null;
        }

        var core = version.Trim().TrimStart('v').Split('-', '+')[0];
        var parts = core.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], out var major) && int.TryParse(parts[1], out var minor) ? new Version(major, minor) : null;
    }
}
