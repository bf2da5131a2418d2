using MeshPortal.Core.Platform.Events;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

/// <summary>
/// A page that reloads when clusters (ClusterEvents) or probe results (ProbeEvents) change, coalesced: the first event starts a one-second window, every
/// event inside it joins the same reload, so a probe cycle over many clusters re-renders at most once per second.
/// </summary>
public abstract class CoalescedLivePage : ComponentBase, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private int pending;
    private bool subscribed;
    private bool disposed;

    [Inject] public required ClusterEvents Events { get; init; }

    [Inject] public required ProbeEvents ProbeEvents { get; init; }

    protected abstract Task ReloadAsync();

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            Events.Changed += OnChanged;
            ProbeEvents.Changed += OnChanged;
            subscribed = true;
        }
    }

    private void OnChanged(string clusterName)
    {
        if (Interlocked.Exchange(ref pending, 1) == 1)
        {
            return;
        }

        _ = ReloadLaterAsync();
    }

    private async Task ReloadLaterAsync()
    {
        await Task.Delay(Window);
        Interlocked.Exchange(ref pending, 0);
        if (disposed)
        {
            return;
        }

        await InvokeAsync(async () =>
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
    }

    public void Dispose()
    {
        disposed = true;
        if (subscribed)
        {
            Events.Changed -= OnChanged;
            ProbeEvents.Changed -= OnChanged;
        }

        GC.SuppressFinalize(this);
    }
}
