using System.Net.Http.Headers;
using Hangfire;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Support;

/// <summary>
/// One real portal for the whole run: Kestrel on a free loopback port, real SQLite files in a temp data directory,
/// the real Hangfire SQLite storage, and two simulated clusters over HTTPS. Hangfire keeps process-wide static state,
/// so every test that needs the host shares this fixture through the "portal" collection.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "Correct-Horse-Battery-7";
    public const string AdminToken = "mp_test-bootstrap-token-0123456789abcdefghijklmnop";

    public SimulatedMesh Mesh { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "meshportal-tests-" + Guid.NewGuid().ToString("N"));
    public PortalFactory Factory { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => Factory.Services;

    /// <summary>The portal signs in with this OpenID Connect provider too ("Sign in with SSO").</summary>
    public FakeOidcProvider Oidc { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 2 });
        Oidc = await FakeOidcProvider.StartAsync();
        Factory = new PortalFactory(DataDirectory, Oidc.Authority);
        Factory.UseKestrel(0);
        Factory.StartServer();
        var addresses = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }

    private readonly List<SimulatedMesh> privateMeshes = [];

    /// <summary>
    /// Fresh simulated clusters for one test: end-to-end tests that assert on DNS, cacerts or curl must not share
    /// clusters that other tests registered under other names (their pushes would race). Disposed with the fixture.
    /// </summary>
    /// <param name="cacertsAtInstall">
    /// Build the mesh the seed's way: <c>istio-system/cacerts</c> from one root exists before istiod starts in every cluster (the
    /// article creates it before installing Istio), so cross-cluster mTLS works from the start. Without it each cluster runs on its
    /// own self-signed root until a root transition (see RootTransitionEndToEndTests).
    /// </param>
    public Task<SimulatedMesh> StartPrivateMeshAsync(int clusters = 2, bool cacertsAtInstall = false) =>
        StartPrivateMeshAsync(new SimulatorOptions { Clusters = clusters, Defaults = new SimulatedClusterOptions { CacertsAtInstall = cacertsAtInstall } });

    /// <summary>A mesh of its own for one test (disposed with the fixture), built from <paramref name="options"/>.</summary>
    public async Task<SimulatedMesh> StartPrivateMeshAsync(SimulatorOptions options)
    {
        var mesh = await SimulatedMesh.StartAsync(options);
        lock (privateMeshes)
        {
            privateMeshes.Add(mesh);
        }

        return mesh;
    }

    /// <summary>A client against the real Kestrel port, without cookies, optionally with a bearer token.</summary>
    public HttpClient CreateClient(string? token = AdminToken)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        // Hangfire's log provider is process-wide and points at this host's LoggerFactory, which the host disposes: a test that
        // makes a Hangfire storage or client after that (ServiceHarness.Jobs, in a class still running beside the last portal
        // test) would get ObjectDisposedException. Loggers made from here on are Hangfire's no-op ones.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        await Factory.DisposeAsync();
        await Mesh.DisposeAsync();
        await Oidc.DisposeAsync();
        foreach (var mesh in privateMeshes)
        {
            await mesh.DisposeAsync();
        }

        JobStorage.Current = null;
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file for a moment on shutdown; the temp folder is cleaned by the OS.
        }
    }
}

public sealed class PortalFactory(string dataDirectory, string? oidcAuthority = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("MeshPortal:DataDirectory", dataDirectory);
        builder.UseSetting("MeshPortal:Init", "true"); // a new temp directory: a fresh installation on purpose
        builder.UseSetting("MeshPortal:Bootstrap:AdminPassword", PortalFixture.AdminPassword);
        builder.UseSetting("MeshPortal:Bootstrap:AdminToken", PortalFixture.AdminToken);
        builder.UseSetting("MeshPortal:Demo:Clusters", "0");
        builder.UseSetting("MeshPortal:Jobs:QueuePollMilliseconds", "100");
        builder.UseSetting("MeshPortal:Clusters:StageTimeoutSeconds", "3");

        // A push that finds a cluster's API down re-checks it now and once more this long after (default 30 s):
        // ApiDownRecheckTests waits for that second check, on the collection every portal test shares.
        builder.UseSetting("MeshPortal:Jobs:RecheckAfterUnreachableSeconds", "10");

        // Every test signs in from 127.0.0.1: the per-client sign-in throttle would make sign-in tests depend on each
        // other. It is covered by SignInThrottleTests; the per-name throttle stays at its default here.
        builder.UseSetting("MeshPortal:SignIn:MaxFailuresPerClient", "100000");

        // Likewise the request rate limits (one client, one admin for the whole suite); RateLimitTests runs a portal
        // process with small limits instead.
        builder.UseSetting("MeshPortal:RateLimits:SignInPerMinute", "0");
        builder.UseSetting("MeshPortal:RateLimits:TokenCreationPerMinute", "0");
        builder.UseSetting("MeshPortal:RateLimits:ApiPerMinute", "0");

        // Tests register the same simulated cluster under several names; background cycles pushing those copies would
        // race with the tests' own pushes. Tests trigger syncs and probes explicitly instead.
        builder.UseSetting("MeshPortal:Sync:Cron", "");
        if (oidcAuthority is not null)
        {
            builder.UseSetting("MeshPortal:Oidc:Authority", oidcAuthority);
            builder.UseSetting("MeshPortal:Oidc:ClientId", FakeOidcProvider.ClientId);
            builder.UseSetting("MeshPortal:Oidc:ClientSecret", FakeOidcProvider.ClientSecret);
            builder.UseSetting("MeshPortal:Oidc:RequireHttpsMetadata", "false");
            builder.UseSetting("MeshPortal:Oidc:DisplayName", "Test SSO");
            builder.UseSetting("MeshPortal:Oidc:Mappings:0:Group", "sso-admins");
            builder.UseSetting("MeshPortal:Oidc:Mappings:0:Role", "Admin");
            builder.UseSetting("MeshPortal:Oidc:Mappings:1:Group", "sso-web-devs");
            builder.UseSetting("MeshPortal:Oidc:Mappings:1:Team", "sso-web");
        }

        builder.UseSetting("MeshPortal:Probes:Cron", "");

        // Alert tests evaluate explicitly (POST /api/v1/alerts/evaluate); deliveries are looked at often and retried quickly.
        builder.UseSetting("MeshPortal:Alerts:Cron", "");
        builder.UseSetting("MeshPortal:Alerts:DeliveryPollMilliseconds", "100");
        builder.UseSetting("MeshPortal:Alerts:RetryBaseSeconds", "1");
        builder.UseSetting("MeshPortal:Alerts:RetryMaxSeconds", "2");
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
