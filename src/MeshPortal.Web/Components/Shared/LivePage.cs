using MeshPortal.Core.Platform.Events;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Shared;

/// <summary>
/// The one base of live pages and panels: reloads when a cluster's stored state changes (<see cref="ClusterEvents"/>: checks,
/// edits, pushes) and, for pages that show reachability, when probe results are stored (<see cref="ProbeEvents"/>, see
/// <see cref="ReloadsOnProbeResultsAttribute"/>). Reloads are throttled, not delayed: an event after a quiet second reloads at
/// once, and events that follow within a second of a reload join one reload at the end of that second, so a push or probe
/// cycle over many clusters re-renders at most once per second while a single change shows without waiting.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private int pending;
    private long lastReload = long.MinValue;
    private bool subscribed;
    private bool disposed;

    [Inject] public required ClusterEvents Events { get; init; }

    [Inject] public required ProbeEvents ProbeEvents { get; init; }

    private bool ReloadsOnProbeResults => GetType().IsDefined(typeof(ReloadsOnProbeResultsAttribute), inherit: true);

    /// <summary>Loads the page's data; called on first render and after every (coalesced) change.</summary>
    protected abstract Task ReloadAsync();

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (RendererInfo.IsInteractive)
        {
            Events.Changed += OnChanged;
            if (ReloadsOnProbeResults)
            {
                ProbeEvents.Changed += OnChanged;
            }

            subscribed = true;
        }
    }

    private void OnChanged(string clusterName)
    {
        if (Interlocked.Exchange(ref pending, 1) == 1)
        {
            return;
        }

        _ = ReloadLaterAsync(WaitBeforeReload(Environment.TickCount64, Interlocked.Read(ref lastReload), Window));
    }

    /// <summary>
    /// How long an event waits before its reload: nothing when the last reload started at least <paramref name="window"/>
    /// ago (or never), else the rest of that window, so reloads start at most once per window.
    /// </summary>
    internal static TimeSpan WaitBeforeReload(long nowMilliseconds, long lastReloadMilliseconds, TimeSpan window)
    {
        var since = nowMilliseconds - lastReloadMilliseconds; // wraps negative for "never" (long.MinValue)
        return since < 0 || since >= (long)window.TotalMilliseconds ? TimeSpan.Zero : window - TimeSpan.FromMilliseconds(since);
    }

    private async Task ReloadLaterAsync(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
        else
        {
            await Task.Yield(); // never reload on the publisher's thread (a push or probe job)
        }

        Interlocked.Exchange(ref pending, 0);
        Interlocked.Exchange(ref lastReload, Environment.TickCount64);
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
            if (ReloadsOnProbeResults)
            {
                ProbeEvents.Changed -= OnChanged;
            }
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>On a <see cref="LivePage"/> (<c>@attribute [ReloadsOnProbeResults]</c>): it shows probe results, so it also reloads when a probe cycle stores them.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReloadsOnProbeResultsAttribute : Attribute;
