using MeshPortal.Core.Platform.Events;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

/// <summary>A page that reloads itself when a cluster's stored state changes (checks, edits, scheduled jobs).</summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private bool subscribed;

    [Inject] public required ClusterEvents Events { get; init; }

    /// <summary>Loads the page's data; called on first render and after every change.</summary>
    protected abstract Task ReloadAsync();

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            Events.Changed += OnChanged;
            subscribed = true;
        }
    }

    private void OnChanged(string clusterName) => _ = InvokeAsync(async () =>
    {
        try
        {
            await ReloadAsync();
            StateHasChanged();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    public void Dispose()
    {
        if (subscribed)
        {
            Events.Changed -= OnChanged;
        }

        GC.SuppressFinalize(this);
    }
}
