using MeshPortal.Core.Features.Sync;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>How a managed object's sync state is shown; "Stale" when its last confirmation is too old to trust.</summary>
public enum SyncChipState
{
    Synced,
    Pending,
    Failed,
    Stale,
}

/// <summary>One row of a cluster's "Managed objects" table; pure mapping.</summary>
public sealed record ManagedObjectRow(
    string Kind,
    string Name,
    string Source,
    SyncChipState State,
    string? Message,
    string LastSynced,
    string LastSyncedTitle)
{
    /// <summary>A Synced object not confirmed for this long is shown as stale (the recurring push runs every few minutes).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    public static ManagedObjectRow From(ManagedObjectView m, DateTimeOffset now)
    {
        var state = m.State switch
        {
            ObjectSyncState.Failed => SyncChipState.Failed,
            ObjectSyncState.Pending => SyncChipState.Pending,
            _ when m.LastSyncedAt is null || now - m.LastSyncedAt.Value > StaleAfter => SyncChipState.Stale,
            _ => SyncChipState.Synced,
        };
        var message = state switch
        {
            SyncChipState.Failed => m.Message ?? "The last attempt failed.",
            SyncChipState.Stale => $"Not confirmed since {StatusPresentation.Ago(m.LastSyncedAt, now)}; the cluster may have drifted.",
            SyncChipState.Pending => "Waiting to be written.",
            _ => null,
        };
        return new ManagedObjectRow(
            m.Kind,
            m.Namespace is null ? m.Name : $"{m.Namespace}/{m.Name}",
            m.Source,
            state,
            message,
            StatusPresentation.Ago(m.LastSyncedAt, now),
            m.LastAttemptAt is null ? "never attempted" : $"last attempt {m.LastAttemptAt.Value:u}");
    }

    public static Color ColorOf(SyncChipState s) => s switch
    {
        SyncChipState.Synced => Color.Success,
        SyncChipState.Failed => Color.Error,
        _ => Color.Default,
    };

    public static string IconOf(SyncChipState s) => s switch
    {
        SyncChipState.Synced => Icons.Material.Filled.CheckCircle,
        SyncChipState.Failed => Icons.Material.Filled.Error,
        SyncChipState.Stale => Icons.Material.Filled.Schedule,
        _ => Icons.Material.Filled.HourglassEmpty,
    };
}

/// <summary>One line of a cluster's sync history; pure mapping.</summary>
public sealed record SyncRunRow(
    long Id,
    bool Succeeded,
    string When,
    string Ago,
    string Trigger,
    string Duration,
    string Counts,
    string? Error,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Changes)
{
    public static SyncRunRow From(SyncRunView r, DateTimeOffset now)
    {
        var changes = r.Changes;
        var ms = Math.Max(0, (r.FinishedAt - r.StartedAt).TotalMilliseconds);
        return new SyncRunRow(
            r.Id,
            r.Succeeded,
            r.StartedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
            StatusPresentation.Ago(r.StartedAt, now),
            r.Trigger,
            ms < 1000 ? $"{ms:0} ms" : $"{ms / 1000:0.0} s",
            CountsOf(r),
            r.Error,
            [.. changes.Where(c => c.Action == "note").Select(c => c.Message ?? "")],
            [.. changes.Where(c => c.Action != "note").Select(Describe)]);
    }

    public static string CountsOf(SyncRunView r)
    {
        var parts = new List<string>();
        void Add(int n, string word)
        {
            if (n > 0)
            {
                parts.Add($"{n} {word}");
            }
        }

        Add(r.Created, "created");
        Add(r.Updated, "updated");
        Add(r.Deleted, "deleted");
        Add(r.Failed, "failed");
        Add(r.Unchanged, "unchanged");
        return parts.Count == 0 ? "nothing to do" : string.Join(" · ", parts);
    }

    private static string Describe(SyncChange c)
    {
        var target = c.Namespace is null ? $"{c.Kind} {c.Name}" : $"{c.Kind} {c.Namespace}/{c.Name}";
        return string.IsNullOrEmpty(c.Message) ? $"{c.Action} {target}" : $"{c.Action} {target}: {c.Message}";
    }
}
