using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Trust;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.EndToEnd.Trust;

/// <summary>
/// Root rotation and the external-root flow end to end: real trust services and reconciler, a 2-cluster simulated mesh
/// over HTTPS, and the simulator's mTLS rule (each intermediate must chain to a root in the peer's root-cert.pem)
/// answering a real cross-cluster curl. The test pushes one cluster at a time so the mixed states in between are checked too.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class TrustEndToEndTests : IAsyncLifetime
{
    private TrustHarness h = null!;

    public async Task InitializeAsync() => h = await TrustHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task RootRotation_CrossClusterCurlKeepsWorking_AtEveryPhaseAndInBetween()
    {
        await h.TrustAsync(t => t.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await h.CompleteTransitionAsync(h.AssertInClusterCurlsWorkAsync); // the self-signed clusters take the mesh root first
        var oldRoot = h.CacertsFile("cluster-1", "root-cert.pem");
        h.SeedCrossClusterRoute();
        await h.AssertCurlWorksAsync("before the rotation");

        var preview = RotationPreview.For(await h.StatusAsync());
        Assert.Equal(RotationPreview.Start, preview.NextStep);
        Assert.Equal(["cluster-1", "cluster-2"], preview.Changes.Select(c => c.Cluster));
        Assert.All(preview.Changes, c => Assert.Equal("unchanged", c.CaCert));

        // Phase 1: the next root is added beside the old one.
        await h.TrustAsync(t => t.RotateAsync(RotationPreview.Start, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await PushBothAsync("phase 1 (start)");
        Assert.All(new[] { "cluster-1", "cluster-2" }, c => Assert.Equal(2, PemBlocks.Certificates(h.CacertsFile(c, "root-cert.pem")).Count));
        Assert.StartsWith(oldRoot.Trim(), h.CacertsFile("cluster-2", "root-cert.pem"));

        // Phase 2 waits until every proxy trusts the next root: on 1.6.8 istiod and every pod must restart first.
        await using (var scope = new TrustScope(h))
        {
            var refused = await scope.Trust.RotateAsync(RotationPreview.Switch, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default);
            Assert.Equal(TrustOutcomeKind.Conflict, refused.Kind);
            Assert.Contains("Restart istiod", refused.Message);
        }

        await RollOutBothAsync("phase 1 (start)");
        var switchPreview = RotationPreview.For(await h.StatusAsync());
        Assert.Equal(RotationPreview.Switch, switchPreview.NextStep);
        Assert.All(switchPreview.Changes, c => Assert.Equal("new key; re-issued by the next root", c.CaCert));

        // Phase 2: intermediates are re-issued by the next root; both roots stay trusted.
        var caBefore = h.CacertsFile("cluster-1", "ca-cert.pem");
        await h.TrustAsync(t => t.RotateAsync(RotationPreview.Switch, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await PushBothAsync("phase 2 (switch)");
        var newRoot = await h.RootPemAsync(MeshPortal.Core.Features.Trust.RootState.Next);
        Assert.NotEqual(caBefore, h.CacertsFile("cluster-1", "ca-cert.pem"));
        foreach (var c in new[] { "cluster-1", "cluster-2" })
        {
            using var ca = X509Certificate2.CreateFromPem(h.CacertsFile(c, "ca-cert.pem"));
            using var next = X509Certificate2.CreateFromPem(newRoot);
            Assert.Null(CaCertificates.ChainProblem(ca, [next], DateTimeOffset.UtcNow));
            Assert.EndsWith(newRoot.Trim() + "\n", h.CacertsFile(c, "cert-chain.pem"));
        }

        await RollOutBothAsync("phase 2 (switch)");

        // Phase 3: the old root is removed.
        Assert.Equal(RotationPreview.Finish, RotationPreview.For(await h.StatusAsync()).NextStep);
        await h.TrustAsync(t => t.RotateAsync(RotationPreview.Finish, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await PushBothAsync("phase 3 (finish)");
        Assert.All(new[] { "cluster-1", "cluster-2" }, c => Assert.Equal(newRoot.Trim() + "\n", h.CacertsFile(c, "root-cert.pem")));
        await RollOutBothAsync("phase 3 (finish)");
        Assert.Equal(RotationPreview.Start, RotationPreview.For(await h.StatusAsync()).NextStep);
    }

    [Fact]
    public async Task SwitchingBeforeTheNextRootReachedThePeer_BreaksMtls_WhichIsWhyPhaseOneComesFirst()
    {
        await h.TrustAsync(t => t.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await h.CompleteTransitionAsync(h.AssertInClusterCurlsWorkAsync);
        h.SeedCrossClusterRoute();
        await h.AssertCurlWorksAsync("before the rotation");

        // Phase 1 reaches cluster-1 only; the switch is refused because cluster-2 does not carry the next root.
        await h.TrustAsync(t => t.RotateAsync(RotationPreview.Start, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await h.PushAsync("cluster-1");
        await h.RollOutAsync("cluster-1", h.AssertInClusterCurlsWorkAsync);
        await using (var scope = new TrustScope(h))
        {
            var refused = await scope.Trust.RotateAsync(RotationPreview.Switch, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default);
            Assert.Equal(TrustOutcomeKind.Conflict, refused.Kind);
            Assert.Contains("cluster-2: root-cert.pem does not carry the next root", refused.Message);
        }

        // An admin overrides the gate: cluster-1's restarted workloads get certificates cluster-2 cannot verify.
        await h.TrustAsync(t => t.RotateAsync(RotationPreview.Switch, null, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default, force: true));
        await h.PushAsync("cluster-1");
        await h.RollOutAsync("cluster-1", h.AssertInClusterCurlsWorkAsync);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", await h.CurlAsync());

        // cluster-2 catches up; the override skipped its bundle phase, so its pods may fail each other while they restart (what the
        // gate prevents); once all restarted, everything works again.
        await h.PushAsync("cluster-2");
        await h.RollOutAsync("cluster-2", _ => Task.CompletedTask);
        await h.AssertInClusterCurlsWorkAsync("once cluster-2 restarted");
        await h.AssertCurlWorksAsync("once cluster-2 has the next root too");
    }

    [Fact]
    public async Task RotationSteps_OutOfOrder_AreRefusedAndChangeNothing()
    {
        await h.TrustAsync(t => t.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await using var scope = new TrustScope(h);
        Assert.Equal(TrustOutcomeKind.Conflict, (await scope.Trust.RotateAsync(RotationPreview.Switch, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(TrustOutcomeKind.Conflict, (await scope.Trust.RotateAsync(RotationPreview.Finish, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(TrustOutcomeKind.Invalid, (await scope.Trust.RotateAsync("sideways", null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(TrustOutcomeKind.Invalid, (await scope.Trust.RotateAsync(RotationPreview.Start, "Dsa1024", new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(RotationPhase.None, (await h.StatusAsync()).Rotation);
        Assert.True((await scope.Trust.RotateAsync(RotationPreview.Start, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Succeeded);
        Assert.Equal(TrustOutcomeKind.Conflict, (await scope.Trust.RotateAsync(RotationPreview.Start, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(TrustOutcomeKind.Conflict, (await scope.Trust.RotateAsync(RotationPreview.Finish, null, new MeshPortal.Core.Platform.Audit.AuditContext("t"), default)).Kind);
        Assert.Equal(RotationPhase.NextRootDistributed, (await h.StatusAsync()).Rotation);
    }

    [Fact]
    public async Task ExternalRoot_CsrSignedByCompanyRoot_Uploaded_CacertsPushed_CurlWorks()
    {
        var (company, companyKey) = TrustPki.NewRoot("Company Root CA");
        await h.TrustAsync(t => t.CreateRootAsync(
            new CreateRootRequest(CreateRootRequest.External, CertificatePem: company.ExportCertificatePem()), new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
        await PushBothAsync("waiting for signatures");
        Assert.All((await h.StatusAsync()).Clusters, c => Assert.Equal(CacertsState.AwaitingSignature, c.Cacerts));
        h.SeedCrossClusterRoute();
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", await h.CurlAsync()); // each cluster still has its own self-signed CA

        foreach (var cluster in new[] { "cluster-1", "cluster-2" })
        {
            await using var scope = new TrustScope(h);
            var csr = await scope.Trust.GetCsrAsync(cluster, default);
            Assert.NotNull(csr);
            Assert.DoesNotContain("PRIVATE", csr);
            var signed = SignAsCompany(csr, company, companyKey);
            await h.TrustAsync(t => t.UploadSignedAsync(cluster, signed, new MeshPortal.Core.Platform.Audit.AuditContext("test"), default));
            Assert.Null(await scope.Trust.GetCsrAsync(cluster, default));
        }

        await h.CompleteTransitionAsync(h.AssertInClusterCurlsWorkAsync); // from the self-signed roots to the company root, phase by phase
        foreach (var cluster in new[] { "cluster-1", "cluster-2" })
        {
            Assert.Equal(company.ExportCertificatePem().Trim() + "\n", h.CacertsFile(cluster, "root-cert.pem"));
            using var ca = X509Certificate2.CreateFromPem(h.CacertsFile(cluster, "ca-cert.pem"), h.CacertsFile(cluster, "ca-key.pem"));
            Assert.True(ca.HasPrivateKey);
            Assert.Null(CaCertificates.ChainProblem(ca, [company], DateTimeOffset.UtcNow));
            Assert.Contains($"L={cluster}", ca.Subject);
        }

        Assert.All((await h.StatusAsync()).Clusters, c => Assert.Equal(CacertsState.Synced, c.Cacerts));
        await h.AssertCurlWorksAsync("external root, both intermediates signed by the company CA");
    }

    /// <summary>What the company CA does offline: sign the CSR as an intermediate CA, copying its requested extensions.</summary>
    private static string SignAsCompany(string csrPem, X509Certificate2 company, ECDsa companyKey)
    {
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(company, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var cert = request.Create(company.SubjectName, X509SignatureGenerator.CreateForECDsa(companyKey),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        return cert.ExportCertificatePem();
    }

    /// <summary>Does the restarts the Trust page asks for in both clusters, checking in-cluster and cross-cluster curls after every step.</summary>
    private async Task RollOutBothAsync(string phase)
    {
        foreach (var cluster in new[] { "cluster-1", "cluster-2" })
        {
            await h.RollOutAsync(cluster, async step =>
            {
                await h.AssertInClusterCurlsWorkAsync($"{phase}, {step}");
                await h.AssertCurlWorksAsync($"{phase}, {step}");
            });
        }
    }

    /// <summary>Pushes cluster-1, curls (mixed state), pushes cluster-2, curls: once routed, mTLS must hold in between and after.</summary>
    private async Task PushBothAsync(string phase, bool curl = true)
    {
        await h.PushAsync("cluster-1");
        if (curl && h.CrossClusterRouteSeeded)
        {
            await h.AssertCurlWorksAsync($"{phase}, only cluster-1 pushed");
        }

        await h.PushAsync("cluster-2");
        if (curl && h.CrossClusterRouteSeeded)
        {
            await h.AssertCurlWorksAsync($"{phase}, both clusters pushed");
        }
    }

    private sealed class TrustScope(TrustHarness harness) : IAsyncDisposable
    {
        private readonly AsyncServiceScope scope = harness.CreateScope();

        public TrustService Trust => scope.ServiceProvider.GetRequiredService<TrustService>();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}
