using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Health;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace MeshPortal.Web.Hosting;

public static class MeshPortalServices
{
    /// <summary>Everything the portal needs in DI. Nothing here may touch a cluster (the EF design-time host runs it).</summary>
    public static WebApplicationBuilder AddMeshPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (!builder.Environment.IsDevelopment()
            && File.Exists(Path.Combine(AppContext.BaseDirectory, builder.Environment.ApplicationName + ".staticwebassets.runtime.json")))
        {
            // Running from build output (dotnet run, bin/) outside Development: the framework's and MudBlazor's files live in
            // the NuGet cache, found through this manifest (Development reads it by itself); published output has them in wwwroot.
            builder.WebHost.UseStaticWebAssets();
        }

        services.AddOptions<MeshPortalOptions>().BindConfiguration(MeshPortalOptions.Section).ValidateKeysOnStart(MeshPortalOptions.Section);
        var options = builder.Configuration.GetSection(MeshPortalOptions.Section).Get<MeshPortalOptions>() ?? new MeshPortalOptions();
        if (ReplicaGuard.Refusal(options) is { } refusal)
        {
            throw new StartupRefusedException(refusal);
        }

        // The sections read here rather than through IOptions: checked now, each bad value named by its key.
        var failures = OptionsValidation.Failures(Section<MeshPortal.Web.Security.RateLimitOptions>(builder, MeshPortal.Web.Security.RateLimitOptions.Section), MeshPortal.Web.Security.RateLimitOptions.Section)
            .Concat(OptionsValidation.Failures(Section<SignInThrottleOptions>(builder, SignInThrottleOptions.Section), SignInThrottleOptions.Section))
            .Concat(OptionsValidation.Failures(Section<MeshPortal.Web.Auth.Oidc.OidcOptions>(builder, MeshPortal.Web.Auth.Oidc.OidcOptions.Section), MeshPortal.Web.Auth.Oidc.OidcOptions.Section))
            .ToList();
        if (failures.Count > 0)
        {
            throw new StartupRefusedException(string.Join(" ", failures));
        }

        // Refuse a wrong proxy list at start-up with one sentence, not on the first request.
        MeshPortal.Web.Security.ProxySetup.Build(builder.Configuration.GetSection(MeshPortal.Web.Security.ProxyOptions.Section).Get<MeshPortal.Web.Security.ProxyOptions>() ?? new());

        try
        {
            (builder.Configuration.GetSection(ClusterAccessOptions.Section).Get<ClusterAccessOptions>() ?? new ClusterAccessOptions()).ToPolicy();
        }
        catch (InvalidOperationException bad)
        {
            throw new StartupRefusedException(bad.Message); // e.g. a DeniedNetworks entry that is not CIDR
        }

        if (options.Demo.Clusters > 0 && !DemoProfiles.IsKnown(options.Demo.Profile))
        {
            throw new InvalidOperationException(
                $"MeshPortal:Demo:Profile \"{options.Demo.Profile}\" is unknown: use \"{DemoProfiles.Modern}\" (Istio 1.28 multi-primary) or \"{DemoProfiles.Seed}\" (the seed's Istio 1.6.8 .global mesh).");
        }

        var dataDirectory = options.ResolveDataDirectory();
        if (FreshInstallRefusal(dataDirectory, options, builder.Configuration) is { } freshInstall)
        {
            throw new StartupRefusedException(freshInstall);
        }

        try
        {
            Directory.CreateDirectory(dataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException(
                $"MeshPortal:DataDirectory is {dataDirectory}, which cannot be used as a directory ({ex.Message.TrimEnd('.')}); point it at a writable directory.");
        }

        RestrictToOwner(dataDirectory);
        if (options.Database.Provider == DatabaseProvider.Sqlite)
        {
            // Before anything opens the SQLite files (Hangfire's storage does so while being configured): one writer per directory.
            services.AddSingleton(DataDirectoryLock.Acquire(dataDirectory));
            SqliteFiles.RestrictToOwner(dataDirectory);
        }

        services.AddHostedService<StartupTimelineMarks>(); // start-up timeline: when the hosted services start
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false); // no "Server: Kestrel"
        services.AddMeshPortalStorage(builder.Configuration, options, dataDirectory);
        services.AddMeshPortalCore(builder.Configuration);
        builder.AddMeshPortalAuth();
        services.AddScoped<AdminBootstrapper>();
        services.AddSingleton<DemoClusters>();

        builder.AddMeshPortalJobs(options, dataDirectory);

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        MeshPortal.Web.Security.RateLimits.AddMeshPortalRateLimits(services, builder.Configuration);
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.AddProblemDetails();
        // Binding errors throw (in every environment) so that ApiErrors can answer with what was wrong and where.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer<OpenApiSecurityTransformer>().AddOperationTransformer<OpenApiErrorsTransformer>());
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<JobServerHealthCheck>("jobs", tags: ["ready"]);
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitClient>();

        return builder;
    }

    /// <summary>
    /// Where the portal keeps its state: the clock, the <see cref="MeshPortalDbContext"/> factory (SQLite in
    /// <paramref name="dataDirectory"/> or PostgreSQL), the data-protection key ring and, with PostgreSQL, the cross-replica
    /// locks and event relay. The app calls it from <see cref="AddMeshPortal"/>; test harnesses call it with their own directory.
    /// </summary>
    public static IServiceCollection AddMeshPortalStorage(this IServiceCollection services, IConfiguration configuration, MeshPortalOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<MeshPortalDbContext>(o => DatabaseSetup.Configure(o, options.Database, dataDirectory));

        var dataProtection = services.AddDataProtection().SetApplicationName("MeshPortal");
        if (options.Database.Provider == DatabaseProvider.Postgres)
        {
            // Every replica must decrypt kubeconfigs and CA keys that another one encrypted: one key ring, in the database.
            dataProtection.PersistKeysToDbContext<MeshPortalDbContext>();
            var locks = new PostgresAdvisoryLocks(DatabaseSetup.RequireConnectionString(options.Database));
            services.AddSingleton(locks);
            services.AddSingleton<IClusterLockStore>(locks);
            services.AddSingleton<IPushMarks, PostgresPushMarks>(); // replicas share the queued-push marks

            // Live updates across replicas: a job finished on another replica refreshes this replica's open pages.
            var relayConnection = DatabaseSetup.RequireConnectionString(options.Database);
            services.AddSingleton(sp => new MeshPortal.Core.Platform.Events.PostgresEventRelay(relayConnection,
                sp.GetRequiredService<MeshPortal.Core.Platform.Events.ClusterEvents>(), sp.GetRequiredService<MeshPortal.Core.Platform.Events.ProbeEvents>(),
                sp.GetRequiredService<ILogger<MeshPortal.Core.Platform.Events.PostgresEventRelay>>()));
            services.AddHostedService(sp => sp.GetRequiredService<MeshPortal.Core.Platform.Events.PostgresEventRelay>());
        }
        else
        {
            // Single process: the key ring stays where existing installs have it (<data>/keys), so their secrets keep decrypting.
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        }

        if (configuration["MeshPortal:DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            // Keys at rest encrypted with a certificate from a mounted secret: a copy of the data directory (or of the
            // database's key table) alone no longer decrypts the kubeconfigs and CA keys.
            var certificate = LoadKeyRingCertificate(certificatePath, configuration["MeshPortal:DataProtection:CertificatePassword"]);
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        return services;
    }

    /// <summary>
    /// Every Core feature the portal runs, each through its own registration (tokens, audit, clusters, reconciliation, trust,
    /// exports, multi-primary, probes, export moves, topology, alerts), configured from <paramref name="configuration"/>.
    /// Needs <see cref="AddMeshPortalStorage"/> (or a test's own storage); Web-only services (sign-in, pages, Hangfire's
    /// server and the cluster-check job) are added by <see cref="AddMeshPortal"/>. Test harnesses build their services from this.
    /// </summary>
    public static IServiceCollection AddMeshPortalCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<ApiTokenStore>();
        services.AddSingleton<MeshPortal.Core.Features.Tokens.PersonalTokens>();
        services.AddSingleton<MeshPortal.Core.Features.Users.SignInAudit>();
        services.AddSingleton<MeshPortal.Core.Platform.Audit.IAuditLog, MeshPortal.Core.Platform.Audit.AuditLog>();
        services.AddOptions<MeshPortal.Core.Platform.Audit.AuditOptions>().BindConfiguration(MeshPortal.Core.Platform.Audit.AuditOptions.Section)
            .ValidateKeysOnStart(MeshPortal.Core.Platform.Audit.AuditOptions.Section);
        services.AddSingleton<MeshPortal.Core.Platform.Audit.AuditQueries>();
        services.AddSingleton<MeshPortal.Core.Platform.Audit.AuditRetention>();
        services.AddSingleton<ApiTokenCommands>();
        services.AddSingleton<ScreenTokenStore>();
        services.AddSingleton<MeshPortal.Core.Features.Teams.TeamService>();
        services.AddSingleton<MeshPortal.Core.Features.Exports.ExportOwnerService>();
        services.AddClusterAccess(configuration);
        services.AddScoped<ClusterService>();
        services.AddScoped<ClusterQueries>();
        services.AddSingleton<MeshPortal.Core.Platform.Events.ClusterEvents>();
        MeshPortal.Core.Features.Sync.ReconciliationServiceCollectionExtensions.AddReconciliation(services, configuration); // wiring: reconciliation
        MeshPortal.Core.Features.Trust.TrustServiceCollectionExtensions.AddTrust(services, configuration); // wiring: trust
        MeshPortal.Core.Features.Exports.ExportServiceCollectionExtensions.AddExports(services, configuration); // wiring: exports
        MeshPortal.Core.Features.MultiCluster.MultiClusterServiceCollectionExtensions.AddMultiCluster(services); // wiring: multi-primary mesh
        MeshPortal.Core.Features.Probes.ProbeServiceCollectionExtensions.AddProbes(services, configuration); // wiring: probes
        MeshPortal.Core.Features.ExportMoves.ExportMoveServiceCollectionExtensions.AddExportMoves(services); // wiring: moving exports to multi-primary
        services.AddSingleton<MeshPortal.Core.Features.Topology.TopologyQueries>(); // wiring: topology
        MeshPortal.Core.Features.Alerts.AlertServiceCollectionExtensions.AddAlerts(services, configuration); // wiring: alerts
        return services;
    }

    private static T Section<T>(WebApplicationBuilder builder, string section)
        where T : class, new() => builder.Configuration.GetSection(section).Get<T>() ?? new T();

    /// <summary>
    /// No silent fresh install on a mistyped data path (issue 17, finding 16): on SQLite a data directory that does not exist
    /// is created only for the demo or when asked (<c>--init</c> or <c>MeshPortal__Init=true</c>); an existing directory,
    /// even an empty one (a new volume, a PersistentVolumeClaim), is used as it is.
    /// </summary>
    internal static string? FreshInstallRefusal(string dataDirectory, MeshPortalOptions options, IConfiguration configuration)
    {
        if (options.Database.Provider != DatabaseProvider.Sqlite || Directory.Exists(dataDirectory)
            || options.Demo.Clusters > 0 || configuration.GetValue<bool>("MeshPortal:Init"))
        {
            return null;
        }

        for (var parent = Path.GetDirectoryName(dataDirectory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"MeshPortal:DataDirectory is {dataDirectory}, which cannot be used as a directory ({parent} is a file); point it at a writable directory.";
            }
        }

        return $"MeshPortal:DataDirectory is {dataDirectory}, which does not exist. If the path is right and this is a new installation, " +
            "create the directory or start once with --init (or MeshPortal__Init=true); otherwise correct the path, since starting there " +
            "would begin an empty installation with a new admin and key ring.";
    }

    /// <summary>The data directory (databases, key ring) is the service account's alone: 0700 on Linux and macOS.</summary>
    private static void RestrictToOwner(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (UnauthorizedAccessException)
        {
            // Owned by someone else (e.g. a volume created by an older root image): left as it is; README says how to hand it over.
        }
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 LoadKeyRingCertificate(string path, string? password)
    {
        try
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new StartupRefusedException($"The key ring certificate {path} has no private key; use a PKCS#12 (.pfx) file with its key.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new StartupRefusedException(
                $"MeshPortal:DataProtection:CertificatePath is {path}, which cannot be read as a PKCS#12 certificate with its key ({ex.Message.TrimEnd('.')}).");
        }
    }

    private static void AddMeshPortalAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var oidc = builder.Configuration.GetSection(MeshPortal.Web.Auth.Oidc.OidcOptions.Section).Get<MeshPortal.Web.Auth.Oidc.OidcOptions>() ?? new();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Smart;
                o.DefaultChallengeScheme = AuthSchemes.Smart;
            })
            .AddPolicyScheme(AuthSchemes.Smart, "Cookie or bearer token", o =>
                // Bearer tokens only for the API (and /metrics): never for pages or the Blazor hub, whose actions are
                // not built for read-only tokens. A bearer header elsewhere is ignored (the cookie decides).
                o.ForwardDefaultSelector = ctx => ApiTokenAuthenticationHandler.HasBearer(ctx.Request) && ApiTokenAuthenticationHandler.AcceptsBearer(ctx.Request)
                    ? AuthSchemes.ApiToken
                    : ScreenAccess.UseScreenScheme(ctx.Request) ? ScreenAccess.Scheme : IdentityConstants.ApplicationScheme)
            .AddCookie(ScreenAccess.Scheme, ScreenAccess.Configure)
            .AddScheme<ApiTokenAuthenticationOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, _ => { })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(CookieSetup.Configure));
        MeshPortal.Web.Auth.Oidc.OidcSetup.AddMeshPortalOidc(services.AddAuthentication(), oidc); // optional SSO

        services.AddIdentityCore<PortalUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                // No lockout on failed sign-ins (anyone could lock out the admin): PasswordSignIn throttles instead.
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<MeshPortalDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // A role change, lock or password reset reaches other browser requests within a minute (Identity's default is 30).
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingIdentityStateProvider>();

        Policies.Register(services.AddAuthorizationBuilder());
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ExportAuthorizationHandler>();
        services.AddScoped<UserAdministration>();
        services.AddSingleton(builder.Configuration.GetSection(SignInThrottleOptions.Section).Get<SignInThrottleOptions>() ?? new SignInThrottleOptions());
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<PasswordSignIn>();
    }
}
