using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Simulator;

namespace MeshPortal.Tests.Web.Trust;

/// <summary>Trust through the real portal, the reconciler and the simulator over HTTPS.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class TrustPortalTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task CreateRoot_BadInput_Returns400WithFieldErrors_AndSecondRootIs409()
    {
        var before = await api.GetStringAsync("/api/v1/trust");
        var bad = await api.PostAsJsonAsync("/api/v1/trust/root", new { mode = "import", certificatePem = "not a pem", privateKeyPem = "nope" });
        var body = await PortalApi.JsonAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.True(body["errors"]?["certificatePem"] is JsonArray { Count: > 0 }, body.ToJsonString());
        Assert.True(body["errors"]?["privateKeyPem"] is JsonArray { Count: > 0 }, body.ToJsonString());

        var (leaf, leafKey) = TrustPki.Leaf();
        var notCa = await api.PostAsJsonAsync("/api/v1/trust/root",
            new { mode = "import", certificatePem = leaf.ExportCertificatePem(), privateKeyPem = CaCertificates.ExportPrivateKeyPem(leafKey) });
        Assert.Equal(HttpStatusCode.BadRequest, notCa.StatusCode);
        Assert.Contains("not a CA", await notCa.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/trust/root", new { mode = "magic" })).StatusCode);
        Assert.Equal(JsonNode.Parse(before)!["root"]?.ToJsonString(), JsonNode.Parse(await api.GetStringAsync("/api/v1/trust"))!["root"]?.ToJsonString());

        await PortalApi.EnsureRootAsync(api);
        var second = await api.PostAsJsonAsync("/api/v1/trust/root", new { mode = "generate", keyType = "EcdsaP256" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var import = await api.PostAsJsonAsync("/api/v1/trust/root",
            new { mode = "import", certificatePem = TrustPki.OtherRoot.ExportCertificatePem(), privateKeyPem = CaCertificates.ExportPrivateKeyPem(TrustPki.OtherRootKey) });
        Assert.Equal(HttpStatusCode.Conflict, import.StatusCode);

        var pem = await api.GetAsync("/api/v1/trust/root-cert.pem");
        Assert.Equal("text/plain", pem.Content.Headers.ContentType?.MediaType);
        var text = await pem.Content.ReadAsStringAsync();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", text);
        Assert.DoesNotContain("PRIVATE", text);
        Assert.DoesNotContain("PRIVATE", await api.GetStringAsync("/api/v1/trust"));

        var readOnly = portal.CreateClient(token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await readOnly.PostAsJsonAsync("/api/v1/trust/root", new { mode = "generate" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/trust/clusters/no-such-cluster/reissue", null)).StatusCode);
    }

    [Fact]
    public async Task Push_WritesVerifiableCacerts_MtlsPasses_ForeignRootFails_ReplaceFixes()
    {
        await PortalApi.EnsureRootAsync(api);

        // A simulated mesh of its own, so that no other test's pushes touch these clusters' cacerts.
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 2 });
        var c1 = await RegisterAsync(mesh["cluster-1"], "trust-a");
        var c2 = await RegisterAsync(mesh["cluster-2"], "trust-b");
        try
        {
            await WaitCacertsAsync(c1, "Synced");
            await WaitCacertsAsync(c2, "Synced");
            // The roll-out records the cluster's transition phase after the push that wrote cacerts: wait for it.
            var row = await Eventually.ReturnsAsync(
                async () => (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/trust")))["clusters"]!.AsArray().Single(c => (string?)c!["cluster"] == c2)!,
                r => r["transition"] is not null, "cluster-2's root transition phase to be recorded");
            Assert.True((bool?)row["chainsToRoot"]);
            Assert.Equal("1.6.8", (string?)row["istioVersion"]);
            Assert.True((bool?)row["needsIstiodRestart"]);
            Assert.Equal("Istio", IssuerOrg((string)row["issuer"]!));

            foreach (var simulated in new[] { "cluster-1", "cluster-2" })
            {
                var secret = mesh[simulated].Get("", "secrets", "istio-system", "cacerts")!;
                Assert.Equal("meshportal", (string?)secret["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
                Assert.Equal("Opaque", (string?)secret["type"]);
                VerifyWithOpenssl(secret);
            }

            // Both clusters ran on their own self-signed roots: the first cacerts is a root transition, rolled out as a user does.
            Assert.Equal("Bundle", (string?)row["transition"]);
            await PortalRollout.CompleteAsync(api, mesh, (c1, "cluster-1"), (c2, "cluster-2"));
            TrustHarness.SeedServiceEntryAndDns(mesh);
            await WaitCurlAsync(mesh, "200");

            // cluster-2 gets a cacerts from another root that MeshPortal did not write; once istiod and httpbin restart: the TLS error,
            // and a decision to make.
            mesh["cluster-2"].Put(ForeignCacerts());
            SimRestarts.RolloutRestart(mesh["cluster-2"], "istio-system", "istiod");
            SimRestarts.RolloutRestart(mesh["cluster-2"], "bar", "httpbin");
            var (_, failed) = await PortalApi.CurlFromSleepAsync(mesh["cluster-1"], "-sS", "-i", "http://httpbin.bar.global:8000/headers");
            Assert.Contains("503", failed);
            Assert.Contains("CERTIFICATE_VERIFY_FAILED", failed);
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/trust/clusters/{c2}/reissue", null)).StatusCode);
            await WaitCacertsAsync(c2, "ForeignNeedsDecision");
            Assert.Null(mesh["cluster-2"].Get("", "secrets", "istio-system", "cacerts")!["metadata"]!["labels"]?["app.kubernetes.io/managed-by"]);

            var replace = await api.PostAsJsonAsync($"/api/v1/trust/clusters/{c2}/decision", new { decision = "Replace" });
            Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
            await WaitCacertsAsync(c2, "Synced");
            await PortalRollout.CompleteAsync(api, mesh, (c2, "cluster-2")); // istiod and the pods restart onto the replaced cacerts
            await WaitCurlAsync(mesh, "200");
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{c1}");
            await api.DeleteAsync($"/api/v1/clusters/{c2}");
        }
    }

    private async Task WaitCacertsAsync(string cluster, string state) =>
        await Eventually.ReturnsAsync(
            async () => (string?)(await PortalApi.JsonAsync(await api.GetAsync("/api/v1/trust")))["clusters"]!.AsArray()
                .FirstOrDefault(c => (string?)c!["cluster"] == cluster)?["cacerts"],
            s => s == state, $"cacerts of {cluster} to become {state}", TimeSpan.FromSeconds(40));

    private async Task<string> RegisterAsync(SimulatedCluster cluster, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = cluster.KubeconfigYaml, context = cluster.Name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    private static async Task WaitCurlAsync(SimulatedMesh mesh, string code) =>
        await Eventually.ReturnsAsync(
            async () => (await PortalApi.CurlFromSleepAsync(mesh["cluster-1"], "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://httpbin.bar.global:8000/headers")).Output,
            o => o.Trim() == code, $"curl httpbin.bar.global from cluster-1 to answer {code}", TimeSpan.FromSeconds(40));

    private static string IssuerOrg(string issuer) => issuer.Split(", ").First(p => p.StartsWith("O=", StringComparison.Ordinal))[2..];

    private static JsonObject ForeignCacerts()
    {
        var (cert, key) = TrustPki.Intermediate("cluster-2", TrustPki.OtherRoot, TrustPki.OtherRootKey);
        var files = CacertsFiles.Build(cert.ExportCertificatePem(), CaCertificates.ExportPrivateKeyPem(key), TrustPki.OtherRoot.ExportCertificatePem(),
            [TrustPki.OtherRoot.ExportCertificatePem()]);
        var secret = files.ToSecret();
        secret["metadata"]!.AsObject().Remove("labels");
        return secret;
    }

    private static void VerifyWithOpenssl(JsonObject secret)
    {
        var dir = Directory.CreateTempSubdirectory("meshportal-cacerts-");
        try
        {
            foreach (var file in new[] { "ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem" })
            {
                File.WriteAllText(Path.Combine(dir.FullName, file), Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![file]!)));
            }

            var start = new ProcessStartInfo("/usr/bin/openssl") { WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem" })
            {
                start.ArgumentList.Add(a);
            }

            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, output);
            using var withKey = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                File.ReadAllText(Path.Combine(dir.FullName, "ca-cert.pem")), File.ReadAllText(Path.Combine(dir.FullName, "ca-key.pem")));
            Assert.True(withKey.HasPrivateKey);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
