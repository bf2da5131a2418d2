namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// How long a change-triggered push of a cluster waits before it starts, given its previous push: no sooner than that push's
/// own duration after it finished, so during a burst of changes a cluster is pushed at most half of the time (each push
/// plans every export of the cluster; back to back they took the cores and the database from the changes themselves), and
/// at most <see cref="MaxWait"/>. A push after a quiet spell starts at once. Pure.
/// </summary>
public static class PushPacing
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <param name="sinceFinished">Time since the previous push of the cluster finished.</param>
    /// <param name="took">How long that push took.</param>
    public static TimeSpan Wait(TimeSpan sinceFinished, TimeSpan took)
    {
        var wait = (took < MaxWait ? took : MaxWait) - sinceFinished;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
