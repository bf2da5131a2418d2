using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Tests.Core.Trust;

[Trait("Speed", "Fast")]
public sealed class TrustRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(400, ExpirySeverity.Ok, null)]
    [InlineData(60, ExpirySeverity.Notice, 60)]
    [InlineData(45, ExpirySeverity.Notice, 60)]
    [InlineData(30, ExpirySeverity.Warning, 30)]
    [InlineData(8, ExpirySeverity.Warning, 30)]
    [InlineData(7, ExpirySeverity.Critical, 7)]
    [InlineData(1, ExpirySeverity.Critical, 7)]
    [InlineData(-2, ExpirySeverity.Expired, null)]
    public void Expiry_Thresholds(int daysLeft, ExpirySeverity severity, int? threshold)
    {
        var status = ExpiryWarnings.Evaluate(Now.AddDays(daysLeft), Now, [60, 30, 7]);
        Assert.Equal(severity, status.Severity);
        Assert.Equal(threshold, status.ThresholdDays);
    }

    [Theory]
    [InlineData("1.6.8", true)]
    [InlineData("1.17.2", true)]
    [InlineData("1.18.0", false)]
    [InlineData("v1.22.1-distroless", false)]
    [InlineData(null, false)]
    [InlineData("unknown", false)]
    public void IstiodRestart_NeededBefore118_ByVersion(string? version, bool needed) => Assert.Equal(needed, IstioCaReload.NeedsRestartByVersion(version));

    [Fact]
    public void PemBlocks_CountsKeysAndCertificates()
    {
        var text = TrustPki.Root.ExportCertificatePem() + "\nnoise\n" + CaCertificates.ExportPrivateKeyPem(TrustPki.RootKey) + TrustPki.RootKey.ExportECPrivateKeyPem();
        Assert.Single(PemBlocks.Certificates(text));
        Assert.Equal(2, PemBlocks.PrivateKeys(text).Count);
        Assert.Empty(PemBlocks.Find(null));
    }

    [Fact]
    public void IstiodRestartBody_IsTheRolloutRestartAnnotation()
    {
        var body = IstiodRestarter.Body("2026-01-01T00:00:00Z");
        Assert.Equal("2026-01-01T00:00:00Z", (string?)body["spec"]!["template"]!["metadata"]!["annotations"]![IstiodRestarter.RestartedAtAnnotation]);
        Assert.Equal("apps/v1", (string?)body["apiVersion"]);
    }
}
