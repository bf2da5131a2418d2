namespace MeshPortal.Core.Trust;

/// <summary>
/// Whether istiod picks up a changed <c>cacerts</c> by itself. istiod reads <c>istio-system/cacerts</c> when it starts; only an
/// istiod that STARTED with plugged-in certs watches the files and reloads them (<c>pilot/pkg/bootstrap/istio_ca.go</c>@1.18.0:
/// the watcher is set up for the plugged-cert case only, gated by <c>AUTO_RELOAD_PLUGIN_CERTS</c>, default true from 1.18 in
/// <c>pilot/pkg/features/pilot.go</c>@1.18.0). An istiod that started self-signed (<c>istio-ca-secret</c>) keeps signing with
/// that root until it is restarted, whatever the version. Before 1.18 a restart is always needed.
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
