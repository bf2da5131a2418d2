using Bunit;
using MeshPortal.Web.Components.Shared;

namespace MeshPortal.Tests.Web.Components;

/// <summary>The empty state: title, text and actions.</summary>
[Trait("Speed", "Web")]
public sealed class EmptyStateTests
{
    [Fact]
    public async Task EmptyState_RendersTitleTextAndActions()
    {
        await using var ctx = ComponentContext.New();
        var cut = ctx.Render<EmptyState>(p => p
            .Add(c => c.Icon, MudBlazor.Icons.Material.Outlined.Dns)
            .Add(c => c.Title, "No clusters registered yet")
            .AddChildContent("Register one.")
            .Add(c => c.Actions, "<button>Go</button>"));

        Assert.Contains("No clusters registered yet", cut.Markup);
        Assert.Contains("Register one.", cut.Markup);
        Assert.NotNull(cut.Find("button"));
    }
}
