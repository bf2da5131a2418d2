using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Trust;

[Trait("Speed", "Fast")]
public sealed class TrustPlannerTests
{
    private static readonly Lazy<CacertsFiles> Files = new(() =>
    {
        var (cert, key) = TrustPki.Intermediate("cluster-1");
        return CacertsFiles.Build(cert.ExportCertificatePem(), CaCertificates.ExportPrivateKeyPem(key), TrustPki.Root.ExportCertificatePem(),
            [TrustPki.Root.ExportCertificatePem()]);
    });

    private static ClusterTarget Target(CacertsDecision decision = CacertsDecision.None) =>
        new(1, "cluster-1", "1.6.8", "203.0.113.1", 443, "10.96.0.53", false, "coredns", null, decision);

    private static TrustPlanner Planner() =>
        new(new Dictionary<int, CacertsFiles> { [1] = Files.Value }, null, [TrustPki.Root], TrustPki.Now);

    private static LiveObjects Live(JsonObject? secret) =>
        new(new Dictionary<ObjectRef, JsonObject?> { [CacertsFiles.SecretRef] = secret });

    private static JsonObject ForeignSecret(bool chainsToMeshRoot)
    {
        var (cert, _) = chainsToMeshRoot ? TrustPki.Intermediate("cluster-1") : TrustPki.Intermediate("cluster-1", TrustPki.OtherRoot, TrustPki.OtherRootKey);
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "cacerts", ["namespace"] = "istio-system" },
            ["data"] = new JsonObject { ["ca-cert.pem"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(cert.ExportCertificatePem())) },
        };
    }

    [Fact]
    public void NoRoot_PlansNothing()
    {
        Assert.Empty(TrustPlanner.Empty.Reads(Target()));
        var plan = TrustPlanner.Empty.Plan(Target(), LiveObjects.Empty);
        Assert.Empty(plan.Objects);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void NoLiveCacerts_EmitsNamespaceCreateOnlyAndOwnedSecret()
    {
        var planner = Planner();
        Assert.Equal([CacertsFiles.NamespaceRef, CacertsFiles.SecretRef, RootTransition.SelfSignedRef], planner.Reads(Target()));
        var plan = planner.Plan(Target(), Live(null));
        Assert.Empty(plan.Notes);
        Assert.Collection(plan.Objects,
            ns =>
            {
                Assert.Equal(ApplyMode.CreateOnly, ns.Mode);
                Assert.Equal("Namespace", (string?)ns.Body["kind"]);
                Assert.Equal("istio-system", (string?)ns.Body["metadata"]!["name"]);
            },
            secret =>
            {
                Assert.Equal(ApplyMode.Owned, secret.Mode);
                Assert.Equal("trust", secret.Source);
                Assert.Equal("Opaque", (string?)secret.Body["type"]);
                Assert.Equal("meshportal", (string?)secret.Body["metadata"]!["labels"]![ManagedLabels.ManagedBy]);
                var data = secret.Body["data"]!.AsObject();
                Assert.Equal(["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"], data.Select(d => d.Key).ToArray());
                var chain = Encoding.UTF8.GetString(Convert.FromBase64String((string)data["cert-chain.pem"]!));
                Assert.Equal(Files.Value.CaCertPem + Files.Value.RootCertPem, chain);
                Assert.Null(secret.Body["stringData"]);
            });
    }

    [Fact]
    public void OwnLiveCacerts_IsUpdated()
    {
        var ours = Files.Value.ToSecret();
        Assert.Equal(2, Planner().Plan(Target(), Live(ours)).Objects.Count);
    }

    [Fact]
    public void ForeignCacerts_NoDecision_NoteOnly()
    {
        var plan = Planner().Plan(Target(), Live(ForeignSecret(chainsToMeshRoot: false)));
        Assert.Empty(plan.Objects);
        Assert.Equal(TrustPlanner.ForeignNote, plan.Notes[0]);
        Assert.Contains("does not chain to the mesh root", plan.Notes[1]);
        Assert.DoesNotContain("UntrustedRoot", plan.Notes[1]); // in words, not the .NET flag (issue 16)
        Assert.DoesNotContain("PartialChain", plan.Notes[1]);
    }

    [Fact]
    public void ForeignCacerts_Replace_EmitsTheSecret()
    {
        var plan = Planner().Plan(Target(CacertsDecision.Replace), Live(ForeignSecret(false)));
        Assert.Contains(plan.Objects, o => o.Ref == CacertsFiles.SecretRef && o.Mode == ApplyMode.Owned);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void ForeignCacerts_Adopt_EmitsNothingAndSaysWhetherItChains()
    {
        var plan = Planner().Plan(Target(CacertsDecision.Adopt), Live(ForeignSecret(chainsToMeshRoot: true)));
        Assert.Empty(plan.Objects);
        Assert.Equal([ExistingCacertsCheck.ChainsNote], plan.Notes);
    }

    [Fact]
    public void AwaitingSignature_NoteOnly()
    {
        var planner = new TrustPlanner(new Dictionary<int, CacertsFiles>(), new Dictionary<int, string> { [1] = TrustSource.AwaitingSignatureNote });
        var plan = planner.Plan(Target(), LiveObjects.Empty);
        Assert.Empty(plan.Objects);
        Assert.Equal([TrustSource.AwaitingSignatureNote], plan.Notes);
    }

    [Fact]
    public void Rotation_RootCertCarriesBothRoots_ChainEndsWithSigningRoot()
    {
        var (cert, key) = TrustPki.Intermediate("cluster-1");
        var files = CacertsFiles.Build(cert.ExportCertificatePem(), CaCertificates.ExportPrivateKeyPem(key), TrustPki.Root.ExportCertificatePem(),
            [TrustPki.Root.ExportCertificatePem(), TrustPki.OtherRoot.ExportCertificatePem()]);
        var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        bundle.ImportFromPem(files.RootCertPem);
        Assert.Equal(2, bundle.Count);
        Assert.EndsWith(files.RootCertPem[..files.RootCertPem.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal)].Split("-----BEGIN CERTIFICATE-----")[1]
            .Trim()[^20..] + "\n-----END CERTIFICATE-----\n", files.CertChainPem);
        Assert.DoesNotContain("PRIVATE", files.ToString());
    }
}
