using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// What <c>dotnet ef</c> uses (instead of starting the portal): the context for the provider named by
/// <c>--provider Postgres</c> after <c>--</c>, or by <c>MeshPortal__Database__Provider</c>; SQLite by default. No database is
/// opened for <c>migrations add</c> or <c>has-pending-model-changes</c>; <c>database update</c> uses the configured
/// connection string (PostgreSQL) or <c>./data</c> (SQLite).
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<MeshPortalDbContext>
{
    public MeshPortalDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args, new Dictionary<string, string> { ["--provider"] = "MeshPortal:Database:Provider" })
            .Build();
        var options = configuration.GetSection(MeshPortalOptions.Section).Get<MeshPortalOptions>() ?? new MeshPortalOptions();
        if (options.Database.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(options.Database.ConnectionString))
        {
            options.Database.ConnectionString = "Host=127.0.0.1;Database=meshportal"; // model and migrations only; never opened by them
        }

        var builder = new DbContextOptionsBuilder<MeshPortalDbContext>();
        DatabaseSetup.Configure(builder, options.Database, options.ResolveDataDirectory());
        return new MeshPortalDbContext(builder.Options);
    }
}
