using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Tests.Support;

namespace MeshPortal.Tests.Web.Options;

/// <summary>Issue 12: every options class is validated on start, and a bad value is refused with its configuration key.</summary>
[Trait("Speed", "Web")]
public sealed class OptionsValidationTests
{
    public static TheoryData<object, string> Defaults => new()
    {
        { new MeshPortalOptions(), MeshPortalOptions.Section },
        { new SyncOptions(), SyncOptions.Section },
        { new ProbeOptions(), ProbeOptions.Section },
        { new AlertOptions(), AlertOptions.Section },
        { new ClusterAccessOptions(), ClusterAccessOptions.Section },
        { new TrustOptions(), TrustOptions.Section },
        { new ExportOptions(), ExportOptions.Section },
        { new AuditOptions(), AuditOptions.Section },
        { new MeshPortal.Web.Security.RateLimitOptions(), MeshPortal.Web.Security.RateLimitOptions.Section },
        { new MeshPortal.Web.Auth.SignInThrottleOptions(), MeshPortal.Web.Auth.SignInThrottleOptions.Section },
        { new MeshPortal.Web.Auth.Oidc.OidcOptions(), MeshPortal.Web.Auth.Oidc.OidcOptions.Section },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void TheDefaults_AreValid(object options, string section) => Assert.Empty(OptionsValidation.Failures(options, section));

    [Fact]
    public void EachBadValue_IsNamedByItsKey_NestedSectionsIncluded()
    {
        var options = new MeshPortalOptions { Replicas = 0 };
        options.Jobs.ClusterCheckCron = "every five minutes";
        options.Jobs.WorkerCount = 500;

        Assert.Equal(
        [
            "MeshPortal:Jobs:WorkerCount is 500: it must be between 1 and 100.",
            "MeshPortal:Jobs:ClusterCheckCron is \"every five minutes\": it must be a cron expression of five fields (minute hour day-of-month month day-of-week, e.g. \"*/5 * * * *\"), or empty to disable the job.",
            "MeshPortal:Replicas is 0: it must be between 1 and 64.",
        ], OptionsValidation.Failures(options, MeshPortalOptions.Section));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("*/3 * * * *", true)]
    [InlineData("0 0 1 1 *", true)]
    [InlineData("0 */5 * * * *", true)]
    [InlineData("* * * *", false)]
    [InlineData("hourly", false)]
    [InlineData("* * * * * * *", false)]
    [InlineData("*/3 * * * *;", false)]
    [InlineData("0 25 * * *", false)] // the shape, but no hour 25
    [InlineData("61 * * * *", false)]
    [InlineData("0 0 31 2 *", false)] // no 31 February: Hangfire takes it and never runs the job
    [InlineData("0 0 29 2 *", true)] // every leap year
    [InlineData("0 0 * 13 *", false)]
    [InlineData("*/0 * * * *", false)]
    [InlineData("0 9-17 * * MON-FRI", true)]
    [InlineData("15,45 */2 1 * ?", true)]
    public void ACron_IsFiveOrSixFieldsThatHangfireReads_OrEmpty(string cron, bool valid) => Assert.Equal(valid, new CronAttribute().IsValid(cron));

    [Fact]
    public void AnAlertPortalUrl_MustBeAnAbsoluteAddress()
    {
        Assert.Equal(["MeshPortal:Alerts:PortalUrl is \"meshportal.example.com\": it must be an absolute http or https address."],
            OptionsValidation.Failures(new AlertOptions { PortalUrl = "meshportal.example.com" }, AlertOptions.Section));
        Assert.Empty(OptionsValidation.Failures(new AlertOptions { PortalUrl = "https://meshportal.example.com" }, AlertOptions.Section));
    }

    /// <summary>The sections the host reads directly (rate limits, sign-in throttle, SSO) are refused the same way, before anything else.</summary>
    [Fact]
    public async Task ABadValueInASectionReadAtBuild_StopsStartUp_WithItsKey()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-options-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var refused = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__SignIn__WindowSeconds"] = "0",
                ["MeshPortal__Oidc__Authority"] = "login.example.com",
            });
            Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("MeshPortal cannot start: MeshPortal:SignIn:WindowSeconds is 0: it must be between 1 and 86400. "
                + "MeshPortal:Oidc:Authority is \"login.example.com\": it must be an absolute http or https address.", refused.Output);
            Assert.DoesNotContain("   at ", refused.Output);
        }
        finally
        {
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

    /// <summary>The real process: bad values in two sections stop start-up with one sentence each, before the database is created.</summary>
    [Fact]
    public async Task BadValues_StopStartUp_WithTheirKeys_AndWriteNothing()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-options-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var refused = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Sync__ApplyConcurrency"] = "0",
                ["MeshPortal__Probes__Cron"] = "every minute",
            });
            Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromMinutes(1)));
            Assert.Contains("MeshPortal cannot start: ", refused.Output);
            Assert.Contains("MeshPortal:Sync:ApplyConcurrency is 0: it must be between 1 and 64.", refused.Output);
            Assert.Contains("MeshPortal:Probes:Cron is \"every minute\": it must be a cron expression", refused.Output);
            Assert.DoesNotContain("   at ", refused.Output);
            Assert.False(File.Exists(Path.Combine(data, "meshportal.db")), "no database was created\n" + refused.Output);
        }
        finally
        {
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
}
