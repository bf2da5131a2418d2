using System.Globalization;
using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using Microsoft.AspNetCore.WebUtilities;

namespace MeshPortal.Web;

/// <summary>
/// Every address the portal links to, redirects to or names in a Location header, in one place (the Aspire dashboard's
/// <c>DashboardUrls</c>). Path segments are escaped; query values are added only when set. <c>@page</c> directives stay
/// literal (Razor needs them there) and must match these paths.
/// </summary>
public static class PortalUrls
{
    public const string OverviewPath = "/";
    public const string ClustersPath = "/clusters";
    public const string ExportsPath = "/exports";
    public const string TrustPath = "/trust";
    public const string ReachabilityPath = "/reachability";
    public const string TopologyPath = "/topology";
    public const string AlertsPath = "/alerts";
    public const string ScreenPath = "/screen";
    public const string AuditPath = "/audit";
    public const string LoginPath = "/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/access-denied";
    public const string JobDashboardPath = "/jobs";
    public const string ApiDocsPath = "/api-docs";

    public static string Overview() => OverviewPath;

    /// <param name="status">The list's status filter (<c>failing</c>: API unreachable or degraded).</param>
    public static string Clusters(string? status = null) => With(ClustersPath, ("status", status));

    public static string NewCluster() => ClustersPath + "/new";

    public static string Cluster(string name) => ClustersPath + "/" + Uri.EscapeDataString(name);

    public static string EditCluster(string name) => Cluster(name) + "/edit";

    /// <param name="state">The consumer state to filter on (<c>Failed</c>, <c>Pending</c>, ...).</param>
    public static string Exports(string? state = null) => With(ExportsPath, ("state", state));

    public static string NewExport() => ExportsPath + "/new";

    public static string EditExport(int id) => ExportsPath + "/" + Id(id) + "/edit";

    public static string Trust() => TrustPath;

    /// <param name="exportId">Only the links of this export.</param>
    /// <param name="filter"><c>failing</c> or <c>stale</c>.</param>
    /// <param name="cluster">Only the links from this source cluster.</param>
    public static string Reachability(int? exportId = null, string? filter = null, string? cluster = null) =>
        With(ReachabilityPath, ("export", exportId is { } id ? Id(id) : null), ("filter", filter), ("cluster", cluster));

    public static string Topology() => TopologyPath;

    public static string Alerts() => AlertsPath;

    public static string AlertChannels() => AlertsPath + "/channels";

    /// <param name="token">A screen token: the TV's one link, which signs the screen in.</param>
    public static string Screen(string? token = null) => With(ScreenPath, ("token", token));

    public static string ScreenTokens() => "/screen-tokens";

    public static string BackgroundJobs() => "/background-jobs";

    public static string JobDashboard() => JobDashboardPath;

    public static string Audit() => AuditPath;

    public static string Users() => "/admin/users";

    public static string Teams() => "/admin/teams";

    public static string ApiTokens() => "/tokens";

    public static string ApiDocs() => ApiDocsPath;

    public static string Settings() => "/settings";

    /// <param name="returnUrl">A local path to come back to after signing in.</param>
    public static string Login(string? returnUrl = null) => With(LoginPath, ("returnUrl", returnUrl));

    /// <param name="returnUrl">A local path to come back to after signing in with SSO.</param>
    public static string SingleSignOn(string returnUrl) => With("/account/sso", ("returnUrl", returnUrl));

    /// <summary>The <c>/api/v1</c> resources the portal links to or answers with in Location headers.</summary>
    public static class Api
    {
        public const string Base = "/api/v1";

        public static string Cluster(string name) => Base + "/clusters/" + Uri.EscapeDataString(name);

        public static string SyncRuns(string cluster) => Cluster(cluster) + "/sync-runs";

        public static string Export(int id) => Base + "/exports/" + Id(id);

        public static string Token(int id) => Base + "/tokens/" + Id(id);

        public static string Team(int id) => Base + "/teams/" + Id(id);

        public static string User(string id) => Base + "/users/" + Uri.EscapeDataString(id);

        public static string Silence(int id) => Base + "/alerts/silences/" + Id(id);

        public static string Channel(int id) => Base + "/alerts/channels/" + Id(id);

        public static string RootCertificate() => Base + "/trust/root-cert.pem";

        public static string ClusterCsr(string cluster) => Base + "/trust/clusters/" + Uri.EscapeDataString(cluster) + "/csr.pem";

        public static string AuditCsv() => Base + "/audit.csv";

        public static string Reachability() => Base + "/reachability";

        public static string Trust() => Base + "/trust";
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string With(string path, params (string Name, string? Value)[] query)
    {
        var url = path;
        foreach (var (name, value) in query)
        {
            if (!string.IsNullOrEmpty(value))
            {
                url = QueryHelpers.AddQueryString(url, name, value);
            }
        }

        return url;
    }
}
