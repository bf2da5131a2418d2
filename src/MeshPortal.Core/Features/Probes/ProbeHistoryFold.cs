using System.Globalization;
using System.Text;

namespace MeshPortal.Core.Features.Probes;

/// <summary>One result's share of its hour's roll-up (what the write-time upsert adds to the row of that link and hour).</summary>
public sealed record RollupDelta(
    int SourceClusterId,
    int TargetClusterId,
    string Host,
    int Port,
    DateTimeOffset HourStart,
    int Count,
    int OkCount,
    double LatencySumMs,
    double LatencyMaxMs,
    string WorstStatus,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt);

/// <summary>
/// The decisions of the store-on-change history (pure): a raw history row only when a link's outcome changes, every result
/// folded into its hour's roll-up; the same fold is used by retention for per-result rows written before.
/// </summary>
public static class ProbeHistoryFold
{
    /// <summary>Columns of one upserted roll-up row, in <see cref="UpsertSql"/>'s order.</summary>
    public const int ColumnsPerRow = 12;

    /// <summary>Rows per upsert statement: 6,000 parameters, under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    public const int RowsPerStatement = 500;

    /// <summary>Whether a result of <paramref name="status"/> is a change point after a latest result of <paramref name="previousStatus"/>
    /// (null: the link has no latest result, so this is its first one or its first after a gap).</summary>
    public static bool IsChange(string? previousStatus, string status) => !string.Equals(previousStatus, status, StringComparison.Ordinal);

    /// <summary>What one result adds to its hour's roll-up: OK results count as OK and carry the latency (as retention always folded them).</summary>
    public static RollupDelta Delta(int sourceClusterId, ProbeRecord record)
    {
        var ok = record.Classification.Status == ProbeStatus.Ok;
        var latency = ok ? record.LatencyMs ?? 0 : 0;
        return new RollupDelta(sourceClusterId, record.Target.TargetClusterId, record.Target.Host, record.Target.Port, ProbeRetention.HourOf(record.ObservedAt),
            1, ok ? 1 : 0, latency, latency, record.Classification.Status.ToString(), record.ObservedAt, record.ObservedAt);
    }

    /// <summary>Adds one result to a roll-up in memory (retention's fold of per-result rows; the same arithmetic as <see cref="UpsertSql"/>).</summary>
    public static void Add(ProbeRollupEntity rollup, string status, double? latencyMs, DateTimeOffset observedAt)
    {
        rollup.Count++;
        var parsed = Enum.TryParse<ProbeStatus>(status, out var s) ? s : ProbeStatus.Unknown;
        if (parsed == ProbeStatus.Ok)
        {
            rollup.OkCount++;
            rollup.LatencySumMs += latencyMs ?? 0;
            rollup.LatencyMaxMs = Math.Max(rollup.LatencyMaxMs, latencyMs ?? 0);
        }

        var worst = Enum.TryParse<ProbeStatus>(rollup.WorstStatus, out var w) ? w : ProbeStatus.Ok;
        if (ProbeStatuses.Severity(parsed) > ProbeStatuses.Severity(worst))
        {
            rollup.WorstStatus = parsed.ToString();
        }

        rollup.FirstAt = rollup.FirstAt is { } first && first <= observedAt ? first : observedAt;
        rollup.LastAt = rollup.LastAt is { } last && last >= observedAt ? last : observedAt;
    }

    /// <summary>
    /// One statement that adds <paramref name="rows"/> deltas to their roll-ups (insert, or add to the row of that link and hour).
    /// Portable between SQLite (3.24+) and PostgreSQL: quoted identifiers, <c>ON CONFLICT ... DO UPDATE</c>, CASE instead of
    /// MAX/GREATEST. Placeholders <c>{0}</c>... are EF's raw-SQL parameters, <see cref="ColumnsPerRow"/> per row (<see cref="Parameters"/>).
    /// </summary>
    public static string UpsertSql(int rows)
    {
        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "An upsert needs at least one row.");
        }

        const string T = "\"ProbeRollups\"";
        var sql = new StringBuilder(200 + (rows * 80));
        sql.Append("INSERT INTO ").Append(T)
            .Append(" (\"SourceClusterId\", \"TargetClusterId\", \"Host\", \"Port\", \"HourStart\", \"Count\", \"OkCount\", \"LatencySumMs\", \"LatencyMaxMs\", \"WorstStatus\", \"FirstAt\", \"LastAt\") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < ColumnsPerRow; c++)
            {
                sql.Append(c == 0 ? "" : ", ").Append('{').Append((r * ColumnsPerRow) + c).Append('}');
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (\"SourceClusterId\", \"Host\", \"Port\", \"HourStart\") DO UPDATE SET ")
            .Append("\"Count\" = ").Append(T).Append(".\"Count\" + excluded.\"Count\", ")
            .Append("\"OkCount\" = ").Append(T).Append(".\"OkCount\" + excluded.\"OkCount\", ")
            .Append("\"LatencySumMs\" = ").Append(T).Append(".\"LatencySumMs\" + excluded.\"LatencySumMs\", ")
            .Append("\"LatencyMaxMs\" = CASE WHEN excluded.\"LatencyMaxMs\" > ").Append(T).Append(".\"LatencyMaxMs\" THEN excluded.\"LatencyMaxMs\" ELSE ")
            .Append(T).Append(".\"LatencyMaxMs\" END, ")
            .Append("\"WorstStatus\" = CASE WHEN ").Append(Severity("excluded.\"WorstStatus\"")).Append(" > ").Append(Severity(T + ".\"WorstStatus\""))
            .Append(" THEN excluded.\"WorstStatus\" ELSE ").Append(T).Append(".\"WorstStatus\" END, ")
            .Append("\"FirstAt\" = CASE WHEN ").Append(T).Append(".\"FirstAt\" IS NULL OR excluded.\"FirstAt\" < ").Append(T).Append(".\"FirstAt\" THEN excluded.\"FirstAt\" ELSE ")
            .Append(T).Append(".\"FirstAt\" END, ")
            .Append("\"LastAt\" = CASE WHEN ").Append(T).Append(".\"LastAt\" IS NULL OR excluded.\"LastAt\" > ").Append(T).Append(".\"LastAt\" THEN excluded.\"LastAt\" ELSE ")
            .Append(T).Append(".\"LastAt\" END");
        return sql.ToString();
    }

    /// <summary>The parameters of <see cref="UpsertSql"/> for these deltas (times as UTC ticks, as the model stores them).</summary>
    public static object[] Parameters(IReadOnlyList<RollupDelta> deltas)
    {
        var p = new object[deltas.Count * ColumnsPerRow];
        var i = 0;
        foreach (var d in deltas)
        {
            p[i++] = d.SourceClusterId;
            p[i++] = d.TargetClusterId;
            p[i++] = d.Host;
            p[i++] = d.Port;
            p[i++] = d.HourStart.UtcTicks;
            p[i++] = d.Count;
            p[i++] = d.OkCount;
            p[i++] = d.LatencySumMs;
            p[i++] = d.LatencyMaxMs;
            p[i++] = d.WorstStatus;
            p[i++] = d.FirstAt.UtcTicks;
            p[i++] = d.LastAt.UtcTicks;
        }

        return p;
    }

    /// <summary><see cref="ProbeStatuses.Severity"/> as SQL (a name no longer known counts as Unknown).</summary>
    private static string Severity(string column)
    {
        var sql = new StringBuilder("(CASE ").Append(column);
        foreach (var s in Enum.GetValues<ProbeStatus>())
        {
            sql.Append(" WHEN '").Append(s.ToString()).Append("' THEN ").Append(ProbeStatuses.Severity(s).ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append(" ELSE ").Append(ProbeStatuses.Severity(ProbeStatus.Unknown).ToString(CultureInfo.InvariantCulture)).Append(" END)").ToString();
    }
}
