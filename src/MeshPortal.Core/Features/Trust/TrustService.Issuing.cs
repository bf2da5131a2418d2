using MeshPortal.Core.Features.Clusters;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Trust;

/// <summary>Issuing on the request when it is quick (ECDSA, a few RSA keys), else as a background batch with progress.</summary>
public sealed partial class TrustService
{
    /// <summary>Progress of the current or last batch of intermediates.</summary>
    public IssuanceSnapshot Issuance => issuer.Progress;

    /// <returns>The clusters issued now, or a message saying the batch runs in the background (then nothing was issued yet).</returns>
    private async Task<(IReadOnlyList<int> Issued, string? Queued)> IssueNowOrLaterAsync(
        string what, string rootKeyType, int count, Func<IntermediateIssuer, CancellationToken, Task<IReadOnlyList<int>>> work, CancellationToken ct)
    {
        var keyType = CaKeyType.IntermediateFor(rootKeyType);
        var cores = Environment.ProcessorCount;
        if (background is not null && IssueCost.RunInBackground(keyType, count, cores, TimeSpan.FromMilliseconds(options.Value.InlineIssueBudgetMilliseconds)))
        {
            background.Enqueue(what, work);
            var estimate = IssueCost.Estimate(keyType, count, cores);
            return ([], $"{count} {CaKeyType.Describe(keyType)} intermediate CA(s) are being issued in the background (about {Math.Ceiling(estimate.TotalSeconds)} s " +
                $"on {cores} core(s)); the Trust page shows the progress and the clusters are pushed when it is done.");
        }

        return (await work(issuer, ct), null);
    }

    private async Task<int> ClusterCountAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Clusters.CountAsync(ct);
    }
}
