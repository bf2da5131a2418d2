using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Audit;

[Trait("Speed", "Fast")]
public sealed class AuditUrlDaysTests
{
    [Fact]
    public void A_day_in_the_address_round_trips_and_to_is_inclusive()
    {
        var errors = new List<string>();
        var from = AuditUrlDays.Parse(" 2026-12-01 ", "from", errors);
        var to = AuditUrlDays.Parse("2026-12-07", "to", errors);

        Assert.Empty(errors);
        Assert.Equal("2026-12-01", AuditUrlDays.Write(from));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), AuditUrlDays.Start(from));
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), AuditUrlDays.EndInclusive(to));
    }

    [Theory]
    [InlineData("07.12.2026")]
    [InlineData("2026-13-01")]
    [InlineData("yesterday")]
    public void A_value_that_is_not_a_day_is_reported_and_not_applied(string value)
    {
        var errors = new List<string>();
        Assert.Null(AuditUrlDays.Parse(value, "to", errors));
        Assert.Equal($"'to={value}' in the address is not a date like 2026-12-07, so it is not applied.", Assert.Single(errors));
    }

    [Fact]
    public void No_day_means_no_bound()
    {
        var errors = new List<string>();
        Assert.Null(AuditUrlDays.Parse("  ", "from", errors));
        Assert.Empty(errors);
        Assert.Null(AuditUrlDays.Start(null));
        Assert.Null(AuditUrlDays.EndInclusive(null));
        Assert.Null(AuditUrlDays.Write(null));
    }
}
