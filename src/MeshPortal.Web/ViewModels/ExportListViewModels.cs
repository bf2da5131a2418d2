using System.Globalization;
using MeshPortal.Core.Features.Topology;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>
/// The consumers cell of an export row: every consumer's chip while they are few; above <see cref="MaxChips"/> a count per state and the chips
/// of the consumers that are not Synced (those need a look), so an export consumed by 49 clusters stays one short row. Pure.
/// </summary>
public sealed record ConsumerSummaryViewModel(IReadOnlyList<ConsumerChipViewModel> Chips, IReadOnlyList<ConsumerStateCount> Counts, int Hidden)
{
    public const int MaxChips = 6;

    private static readonly string[] Order = ["Failed", "Pending", "Unsupported", "Synced"];

    public static ConsumerSummaryViewModel Of(IReadOnlyList<ConsumerChipViewModel> chips)
    {
        if (chips.Count <= MaxChips)
        {
            return new ConsumerSummaryViewModel(chips, [], 0);
        }

        var counts = chips.GroupBy(c => c.State)
            .OrderBy(g => Array.IndexOf(Order, g.Key) is var i && i < 0 ? Order.Length : i).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ConsumerStateCount(g.Key, g.Count()))
            .ToList();
        var shown = chips.Where(c => c.State != "Synced")
            .OrderBy(c => Array.IndexOf(Order, c.State)).ThenBy(c => c.Cluster, StringComparer.Ordinal)
            .Take(MaxChips).ToList();
        return new ConsumerSummaryViewModel(shown, counts, chips.Count - shown.Count);
    }
}

/// <summary>How many consumers are in one sync state.</summary>
public sealed record ConsumerStateCount(string State, int Count)
{
    public string Text => $"{Count.ToString(CultureInfo.InvariantCulture)} {State.ToLowerInvariant()}";
}

/// <summary>
/// The probe column of an export row: how its consumer links fare (fresh OK, failing, stale, other), each part linking to the Reachability page
/// filtered to this export (failing and stale ones to those links alone). Pure.
/// </summary>
public sealed record ExportHealthViewModel(string Summary, IReadOnlyList<ExportHealthPart> Parts, string Href, string State)
{
    public static ExportHealthViewModel Of(int exportId, ExportLinkHealth? health)
    {
        var all = PortalUrls.Reachability(exportId);
        if (health is null || health.Total == 0)
        {
            return new ExportHealthViewModel("not probed yet", [], all, "none");
        }

        var parts = new List<ExportHealthPart>();
        if (health.Failing > 0)
        {
            parts.Add(new ExportHealthPart($"{health.Failing} failing", all + "&filter=failing", "failing"));
        }

        if (health.Stale > 0)
        {
            parts.Add(new ExportHealthPart($"{health.Stale} stale", all + "&filter=stale", "stale"));
        }

        if (health.Other > 0)
        {
            parts.Add(new ExportHealthPart($"{health.Other} other", all, "other"));
        }

        if (health.Ok > 0)
        {
            parts.Add(new ExportHealthPart($"{health.Ok} OK", all, "ok"));
        }

        var state = health.Failing > 0 ? "failing" : health.Ok == health.Total ? "ok" : health.Stale == health.Total ? "stale" : "partial";
        var summary = $"{health.Ok} of {health.Total} link{(health.Total == 1 ? "" : "s")} OK"
            + (health.Failing > 0 ? $", {health.Failing} failing" : "")
            + (health.Stale > 0 ? $", {health.Stale} stale" : "");
        return new ExportHealthViewModel(summary, parts, all, state);
    }
}

/// <summary>One part of the probe column ("2 failing"), with the filtered Reachability link.</summary>
public sealed record ExportHealthPart(string Text, string Href, string Kind);
