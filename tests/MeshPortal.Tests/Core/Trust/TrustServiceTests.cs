using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MeshPortal.Tests.Core.Trust;

/// <summary>TrustService against a real SQLite file with the portal's model (P-256 only).</summary>
[Trait("Speed", "Fast")]
public sealed class TrustServiceTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"trust-{Guid.NewGuid():N}.db");
    private readonly Factory dbs;
    private readonly RecordingScheduler scheduler = new();
    private readonly SecretProtector secrets = new(new EphemeralDataProtectionProvider());
    private readonly IntermediateIssuer issuer;
    private readonly TrustService trust;

    public TrustServiceTests()
    {
        dbs = new Factory(new DbContextOptionsBuilder<MeshPortalDbContext>().UseSqlite($"Data Source={path}").Options);
        using var db = dbs.CreateDbContext();
        db.Database.EnsureCreated();
        foreach (var name in new[] { "cluster-1", "cluster-2" })
        {
            db.Clusters.Add(new ClusterEntity { Name = name, Context = name, ProtectedKubeconfig = "x", Server = "https://127.0.0.1", IstioVersion = "1.6.8" });
        }

        db.SaveChanges();
        var options = Options.Create(new TrustOptions());
        issuer = new IntermediateIssuer(dbs, secrets, TimeProvider.System, options, NullLogger<IntermediateIssuer>.Instance);
        trust = new TrustService(dbs, secrets, issuer, [scheduler], new ClusterEvents(), TimeProvider.System, options, NullLogger<TrustService>.Instance, new MeshPortal.Core.Platform.Audit.AuditLog(dbs, TimeProvider.System));
    }

    private static readonly CreateRootRequest P256 = new(CreateRootRequest.Generate, CaKeyType.EcdsaP256);

    [Fact]
    public async Task CreateRoot_IssuesEveryCluster_ProtectsKeys_RequestsSync_AndRefusesASecond()
    {
        Assert.True((await trust.CreateRootAsync(P256, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Succeeded);
        await using var db = dbs.CreateDbContext();
        var root = await db.MeshRoots.SingleAsync();
        Assert.DoesNotContain("PRIVATE KEY", root.ProtectedPrivateKey);
        var intermediates = await db.ClusterIntermediates.ToListAsync();
        Assert.Equal(2, intermediates.Count);
        Assert.All(intermediates, i => Assert.Equal(IntermediateState.Active, i.State));
        Assert.All(intermediates, i => Assert.DoesNotContain("PRIVATE KEY", i.ProtectedPrivateKey));
        Assert.All(intermediates, i => Assert.True(i.NotAfter <= root.NotAfter));
        Assert.Equal(2, scheduler.Requested.Distinct().Count());

        var second = await trust.CreateRootAsync(P256, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        Assert.Equal(TrustOutcomeKind.Conflict, second.Kind);
        Assert.Equal(1, await db.MeshRoots.CountAsync());
    }

    [Fact]
    public async Task Reissue_NewKeySameRoot_OldSuperseded()
    {
        await trust.CreateRootAsync(P256, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        var before = await Active("cluster-1");
        Assert.True((await trust.ReissueAsync("cluster-1", new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Succeeded);
        var after = await Active("cluster-1");
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.NotEqual(before.ProtectedPrivateKey, after.ProtectedPrivateKey);
        Assert.Equal(before.RootId, after.RootId);
        await using var db = dbs.CreateDbContext();
        Assert.Equal(IntermediateState.Superseded, (await db.ClusterIntermediates.SingleAsync(i => i.Id == before.Id)).State);
        Assert.Equal(TrustOutcomeKind.NotFound, (await trust.ReissueAsync("nope", new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Kind);
    }

    [Fact]
    public async Task Rotation_ThreePhases_BundleAndChainsFollow()
    {
        await trust.CreateRootAsync(P256, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        Assert.Equal(TrustOutcomeKind.Conflict, (await trust.SwitchIntermediatesAsync(new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Kind);
        var oldRoot = await RootPem(RootState.Active);

        Assert.True((await trust.StartRotationAsync(null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Succeeded);
        var nextRoot = await RootPem(RootState.Next);
        var files = await FilesAsync("cluster-1");
        Assert.Equal(2, Count(files.RootCertPem));
        Assert.EndsWith(oldRoot.Trim() + "\n", files.CertChainPem);
        Assert.Equal(TrustOutcomeKind.Conflict, (await trust.FinishRotationAsync(new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Kind);

        Assert.True((await trust.SwitchIntermediatesAsync(new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Succeeded);
        files = await FilesAsync("cluster-1");
        Assert.Equal(2, Count(files.RootCertPem));
        Assert.EndsWith(nextRoot.Trim() + "\n", files.CertChainPem);

        Assert.True((await trust.FinishRotationAsync(new MeshPortal.Core.Platform.Audit.AuditContext("test"), default)).Succeeded);
        files = await FilesAsync("cluster-2");
        Assert.Equal(1, Count(files.RootCertPem));
        Assert.Equal(nextRoot.Trim() + "\n", files.RootCertPem);
        using var ca = X509Certificate2.CreateFromPem(files.CaCertPem);
        using var root = X509Certificate2.CreateFromPem(nextRoot);
        Assert.Null(CaCertificates.ChainProblem(ca, [root], DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task ExternalRoot_CsrThenSignedUpload()
    {
        var created = await trust.CreateRootAsync(new CreateRootRequest(CreateRootRequest.External, CertificatePem: TrustPki.Root.ExportCertificatePem()), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        Assert.True(created.Succeeded, created.Message);
        var csrPem = await trust.GetCsrAsync("cluster-1", default);
        Assert.NotNull(csrPem);
        var planner = (TrustPlanner)await new TrustSource(issuer, secrets, TimeProvider.System).LoadAsync(dbs.CreateDbContext(), default);
        Assert.Equal([TrustSource.AwaitingSignatureNote], planner.Plan(Target(1), LiveObjects.Empty).Notes);

        var wrong = await trust.UploadSignedAsync("cluster-1", TrustPki.Intermediate("cluster-1").Cert.ExportCertificatePem(), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        Assert.Equal(TrustOutcomeKind.Invalid, wrong.Kind);

        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        using var signed = request.Create(TrustPki.Root.SubjectName, X509SignatureGenerator.CreateForECDsa(TrustPki.RootKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddYears(1), RandomNumberGenerator.GetBytes(12));
        var ok = await trust.UploadSignedAsync("cluster-1", signed.ExportCertificatePem(), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
        Assert.True(ok.Succeeded, ok.Message);
        Assert.Equal(2, (await FilesAsync("cluster-1")).ToSecret()["data"]!.AsObject().Count / 2);
    }

    private static ClusterTarget Target(int id) => new(id, "c", "1.6.8", null, null, null, false, null, null, CacertsDecision.None);

    private async Task<CacertsFiles> FilesAsync(string cluster)
    {
        await using var db = dbs.CreateDbContext();
        var id = (await db.Clusters.SingleAsync(c => c.Name == cluster)).Id;
        var planner = (TrustPlanner)await new TrustSource(issuer, secrets, TimeProvider.System).LoadAsync(db, default);
        var plan = planner.Plan(Target(id), LiveObjects.Empty);
        var data = plan.Objects.Single(o => o.Ref == CacertsFiles.SecretRef).Body["data"]!;
        string F(string n) => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)data[n]!));
        return new CacertsFiles(F("ca-cert.pem"), F("ca-key.pem"), F("root-cert.pem"), F("cert-chain.pem"));
    }

    private async Task<ClusterIntermediateEntity> Active(string cluster)
    {
        await using var db = dbs.CreateDbContext();
        return await db.ClusterIntermediates.SingleAsync(i => i.Cluster!.Name == cluster && i.State == IntermediateState.Active);
    }

    private async Task<string> RootPem(RootState state)
    {
        await using var db = dbs.CreateDbContext();
        return (await db.MeshRoots.SingleAsync(r => r.State == state)).CertificatePem;
    }

    private static int Count(string pem) => PemBlocks.Certificates(pem).Count;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }

    private sealed class RecordingScheduler : ISyncScheduler
    {
        public List<int> Requested { get; } = [];

        public void RequestSync(IEnumerable<int> clusterIds, string trigger)
        {
            lock (Requested)
            {
                Requested.AddRange(clusterIds);
            }
        }
    }

    private sealed class Factory(DbContextOptions<MeshPortalDbContext> options) : IDbContextFactory<MeshPortalDbContext>
    {
        public MeshPortalDbContext CreateDbContext() => new(options);
    }
}
