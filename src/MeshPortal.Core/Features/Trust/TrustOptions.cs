using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Core.Features.Trust;

/// <summary>The <c>MeshPortal:Trust</c> configuration section.</summary>
public sealed class TrustOptions
{
    public const string Section = "MeshPortal:Trust";

    /// <summary>Validity of a generated root CA (Istio's tools/certs: 3650 days).</summary>
    [Range(1, 36_500)]
    public int RootValidityDays { get; set; } = 3650;

    /// <summary>Validity of each cluster's intermediate CA; never beyond the root's not-after.</summary>
    [Range(1, 36_500)]
    public int IntermediateValidityDays { get; set; } = 730;

    /// <summary>Days before not-after at which a certificate is flagged (the largest first).</summary>
    public int[] ExpiryWarningDays { get; set; } = [60, 30, 7];

    /// <summary>
    /// Issuing intermediates estimated (<see cref="IssueCost"/>) to take longer than this runs as a background job with
    /// progress on the Trust page instead of on the request (e.g. 50 RSA 4096 keys).
    /// </summary>
    [Range(0, 600_000)]
    public int InlineIssueBudgetMilliseconds { get; set; } = 3000;
}
