using MeshPortal.Core.Configuration;
using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

public static class StartupTasks
{
    /// <summary>Applies migrations, creates the first admin, and (in demo mode) starts and registers the simulated clusters.</summary>
    public static async Task InitializeMeshPortalAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MeshPortalOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshPortal.Startup");
        logger.LogInformation("Data directory: {DataDirectory}", options.ResolveDataDirectory());

        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().RunAsync(options.Bootstrap);
        }

        if (options.Demo.Clusters > 0)
        {
            var demo = app.Services.GetRequiredService<DemoClusters>();
            await demo.StartAsync(options.Demo.Clusters, options.ResolveDataDirectory(), app.Lifetime.ApplicationStopping);
        }
    }
}
