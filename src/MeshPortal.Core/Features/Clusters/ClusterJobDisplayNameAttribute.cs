using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// A job display name whose first argument is a cluster id, shown in the job dashboard as the cluster's name ("Push cluster
/// prod-eu (schedule)", not "Push cluster 5"; issue 16). Jobs keep taking the id (names can change, ids cannot); a cluster
/// deleted since reads "#5 (deleted)".
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterJobDisplayNameAttribute(string displayName) : JobDisplayNameAttribute(displayName)
{
    public override string Format(DashboardContext context, Job job)
    {
        var args = job.Args.ToArray();
        if (args.Length > 0 && args[0] is int or long && context.GetHttpContext()?.RequestServices is { } services)
        {
            args[0] = NameOf(services, Convert.ToInt32(args[0], CultureInfo.InvariantCulture));
        }

        return string.Format(CultureInfo.CurrentCulture, DisplayName, args);
    }

    public static string NameOf(IServiceProvider services, int clusterId)
    {
        if (services.GetService<IDbContextFactory<MeshPortalDbContext>>() is not { } factory)
        {
            return clusterId.ToString(CultureInfo.InvariantCulture);
        }

        using var db = factory.CreateDbContext();
        return db.Clusters.AsNoTracking().Where(c => c.Id == clusterId).Select(c => c.Name).FirstOrDefault()
            ?? $"#{clusterId} (deleted)";
    }
}
