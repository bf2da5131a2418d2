using Bunit;
using MudBlazor.Services;

namespace MeshPortal.Tests.Support;

/// <summary>A bUnit context with what the portal's components need (MudBlazor services, loose JS interop).</summary>
internal static class ComponentContext
{
    public static BunitContext New()
    {
        var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return ctx;
    }
}
