using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Tests.EndToEnd.Processes;

/// <summary>Issue 17, finding 8: the key ring encrypted with a certificate from a mounted secret; the data directory is the owner's alone.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class DataAtRestTests
{
    [Fact]
    public async Task WithACertificate_TheKeyRingOnDiskIsEncrypted_AndTheDataDirectoryIs0700()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-keyring-" + Guid.NewGuid().ToString("N"));
        var pfx = Path.Combine(Path.GetTempPath(), "meshportal-keyring-" + Guid.NewGuid().ToString("N") + ".pfx");
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=meshportal-keyring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret-pass"));
        }

        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Bootstrap__AdminPassword"] = "Key-Ring-Password-123",
                ["MeshPortal__DataProtection__CertificatePath"] = pfx,
                ["MeshPortal__DataProtection__CertificatePassword"] = "secret-pass",
            });
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var http = new HttpClient { BaseAddress = portal.Address };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode); // the antiforgery token needs a key

            var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
            Assert.NotEmpty(keys);
            foreach (var file in keys)
            {
                var xml = await File.ReadAllTextAsync(file);
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("unencrypted form", xml);
            }

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
            }
        }
        finally
        {
            File.Delete(pfx);
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // cleaned by the OS
            }
        }
    }

    [Fact]
    public async Task AnUnreadableCertificate_StopsStartUpWithOneSentence()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-keyring-" + Guid.NewGuid().ToString("N"));
        await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
        {
            ["MeshPortal__DataProtection__CertificatePath"] = "/nonexistent/keyring.pfx",
        });
        Assert.Equal(1, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("MeshPortal cannot start: MeshPortal:DataProtection:CertificatePath is /nonexistent/keyring.pfx, which cannot be read", portal.Output);
        Assert.DoesNotContain("   at ", portal.Output);
    }
}

/// <summary>Issue 17, finding 16 (part): start-up problems are one clear sentence, not a stack trace.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class StartupRefusalTests
{
    [Fact]
    public async Task ADataDirectoryUnderAFile_StopsStartUpWithOneSentence()
    {
        var file = Path.Combine(Path.GetTempPath(), "meshportal-not-a-dir-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(file, "I am a file");
        try
        {
            var data = Path.Combine(file, "data");
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>());
            Assert.Equal(1, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"MeshPortal cannot start: MeshPortal:DataDirectory is {data}, which cannot be used as a directory", portal.Output);
            Assert.DoesNotContain("   at ", portal.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MoreThanOneReplicaOnSqlite_StopsStartUpWithOneSentence()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-replicas-" + Guid.NewGuid().ToString("N"));
        await using var portal = PortalProcess.Start(data, new Dictionary<string, string> { ["MeshPortal__Replicas"] = "2" });
        Assert.Equal(1, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("MeshPortal cannot start: MeshPortal:Replicas is 2 but the database is SQLite", portal.Output);
        Assert.DoesNotContain("   at ", portal.Output);
    }
}
