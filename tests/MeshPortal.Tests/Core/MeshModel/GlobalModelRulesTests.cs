using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Tests.Core.MeshModel;

[Trait("Speed", "Fast")]
public sealed class GlobalModelRulesTests
{
    [Fact]
    public void Istio168_WithTheOverlay_ExportsAndConsumes_WritingOnlyTheStubDomain()
    {
        var roles = GlobalModelRules.Decide(ExportTestData.Installed("1.6.8"));
        Assert.True(roles.Export.Supported, roles.Export.Reason);
        Assert.True(roles.Consume.Supported, roles.Consume.Reason);
        Assert.Equal(new GlobalModelWrites(PassthroughGateway: false, MtlsDestinationRule: false, DnsStub: true), roles.Writes);
    }

    [Fact]
    public void Istio168_WithoutTheOverlay_CannotExport_AndSaysToInstallIt()
    {
        var facts = ExportTestData.Installed("1.6.8") with { OverlayGateway = false, OverlayEnvoyFilter = false };
        var roles = GlobalModelRules.Decide(facts);
        Assert.False(roles.Export.Supported);
        Assert.Contains("multicluster-gateways", roles.Export.Hint);
    }

    [Fact]
    public void Istio193_OverlayObjectsGone_MeshPortalWritesThem()
    {
        var roles = GlobalModelRules.Decide(ExportTestData.Installed("1.9.3", dnsCapture: true, coreDns: null));
        Assert.True(roles.Export.Supported, roles.Export.Reason);
        Assert.True(roles.Consume.Supported, roles.Consume.Reason);
        Assert.Equal(new GlobalModelWrites(PassthroughGateway: true, MtlsDestinationRule: true, DnsStub: false), roles.Writes);
    }

    [Fact]
    public void Istio193_WithoutDnsCapture_CannotConsume_ProbePodCaptureIsNotEnough()
    {
        var facts = ExportTestData.Installed("1.9.3", coreDns: null) with { ProbePodDnsCapture = true };
        var consume = GlobalModelRules.Decide(facts).Consume;
        Assert.False(consume.Supported);
        Assert.Contains("ISTIO_META_DNS_CAPTURE", consume.Reason);
        Assert.Contains("Only the probe pod", consume.Reason);
    }

    [Theory]
    [InlineData("1.8.6")]
    [InlineData("1.9.5")]
    [InlineData("1.10.0")]
    [InlineData("1.18.2")]
    public void AfterTheCveFix_ExportNeedsTheLegacyFlag_AndIsInsecureWithIt(string version)
    {
        var facts = ExportTestData.Installed(version, dnsCapture: true) with { IngressHasPort15443 = true };
        var without = GlobalModelRules.Decide(facts).Export;
        Assert.False(without.Supported);
        Assert.Contains("CVE-2021-31921", without.Reason);
        Assert.Contains("never sets it", without.Reason);

        var with = GlobalModelRules.Decide(facts with { LegacyAutoPassthrough = true }).Export;
        Assert.True(with.Supported);
        Assert.True(with.Insecure);
    }

    [Theory]
    [InlineData("1.8.5")]
    [InlineData("1.9.4")]
    public void BeforeTheCveFix_NoLegacyFlagNeeded(string version)
    {
        var export = GlobalModelRules.Decide(ExportTestData.Installed(version, dnsCapture: true)).Export;
        Assert.True(export.Supported, export.Reason);
        Assert.False(export.Insecure);
    }

    [Theory]
    [InlineData("1.19.0")]
    [InlineData("1.24.0")]
    [InlineData("1.28.1")]
    public void From119_NothingWorks_EvenWithEveryFlag(string version)
    {
        var facts = ExportTestData.Installed(version, dnsCapture: true, legacyPassthrough: true) with { IngressHasPort15443 = true };
        var roles = GlobalModelRules.Decide(facts);
        Assert.False(roles.Export.Supported);
        Assert.False(roles.Consume.Supported);
        Assert.Equal(GlobalModelWrites.None, roles.Writes);
        Assert.Contains("multi-primary", roles.Export.Hint);
    }

    [Fact]
    public void StandardRouterModeBefore111_CannotExport()
    {
        var facts = ExportTestData.Installed("1.9.3", dnsCapture: true) with { IngressRouterMode = "standard" };
        var export = GlobalModelRules.Decide(facts).Export;
        Assert.False(export.Supported);
        Assert.Contains("sni-dnat", export.Hint);
    }

    [Fact]
    public void No15443_CannotExport()
    {
        var export = GlobalModelRules.Decide(ExportTestData.Installed("1.9.3") with { IngressHasPort15443 = false }).Export;
        Assert.False(export.Supported);
        Assert.Contains("15443", export.Reason);
    }

    [Fact]
    public void UnknownVersion_RefusesBothRoles()
    {
        var roles = GlobalModelRules.Decide(new MeshFacts { IstioVersion = null });
        Assert.False(roles.Export.Supported);
        Assert.False(roles.Consume.Supported);
    }

    [Theory]
    [InlineData("1.6.8", 1, 6, 8)]
    [InlineData("v1.24.3", 1, 24, 3)]
    [InlineData("1.9.0-distroless", 1, 9, 0)]
    [InlineData("1.10", 1, 10, 0)]
    public void Releases_Parse(string text, int major, int minor, int patch)
    {
        Assert.True(IstioRelease.TryParse(text, out var release));
        Assert.Equal(new IstioRelease(major, minor, patch), release);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sha256:abc")]
    public void NonReleases_DoNotParse(string? text) => Assert.False(IstioRelease.TryParse(text, out _));
}
