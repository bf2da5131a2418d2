namespace MeshPortal.Core.Trust;

/// <summary>
/// Whether istiod picks up a changed <c>cacerts</c> by itself: from Istio 1.18 <c>AUTO_RELOAD_PLUGIN_CERTS</c> is on by
/// default; older istiod reads the mounted secret only at start, so it must be restarted after a push.
/// </summary>
public static class IstioCaReload
{
    public static readonly Version AutoReloadSince = new(1, 18);

    public const string Explanation =
        "Istio before 1.18 reads istio-system/cacerts only when istiod starts (automatic reload, AUTO_RELOAD_PLUGIN_CERTS, is on by default " +
        "from 1.18). Restart istiod after the new cacerts is synced so that it signs workload certificates with the new intermediate.";

    /// <summary>True when the version is known and older than 1.18.</summary>
    public static bool NeedsRestart(string? istioVersion) => Parse(istioVersion) is { } v && v < AutoReloadSince;

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
