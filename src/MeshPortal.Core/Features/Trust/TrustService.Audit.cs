using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// The public trust actions: each runs its step and records the outcome (also refusals) in the audit log, so the UI,
/// the API and the demo are covered alike. Only non-secret fields are recorded: never key or certificate material.
/// </summary>
public sealed partial class TrustService
{
    public Task<TrustOutcome> CreateRootAsync(CreateRootRequest request, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.root_created", "root",
            new { request.Mode, request.KeyType, request.Organization, request.CommonName, CertificatePasted = request.CertificatePem is not null },
            () => CreateRootCoreAsync(request, who.Describe(), ct));

    public Task<TrustOutcome> ReissueAsync(string? clusterName, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.reissued", clusterName ?? "all clusters", null, () => ReissueCoreAsync(clusterName, who.Describe(), ct));

    public Task<TrustOutcome> SetDecisionAsync(string clusterName, CacertsDecision decision, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.cacerts_decision", clusterName, new { Decision = decision.ToString() },
            () => SetDecisionCoreAsync(clusterName, decision, who.Describe(), ct));

    public Task<TrustOutcome> UploadSignedAsync(string clusterName, string? certificatePem, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.signed_uploaded", clusterName, null, () => UploadSignedCoreAsync(clusterName, certificatePem, who.Describe(), ct));

    public Task<TrustOutcome> StartRotationAsync(string? keyType, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.rotation_started", "root", new { KeyType = keyType }, () => StartRotationCoreAsync(keyType, who.Describe(), ct));

    public Task<TrustOutcome> SwitchIntermediatesAsync(AuditContext who, CancellationToken ct, bool force = false) =>
        AuditedAsync(who, "trust.rotation_switched", "root", force ? new { Override = true } : null, () => SwitchIntermediatesCoreAsync(who.Describe(), force, ct));

    public Task<TrustOutcome> FinishRotationAsync(AuditContext who, CancellationToken ct, bool force = false) =>
        AuditedAsync(who, "trust.rotation_finished", "root", force ? new { Override = true } : null, () => FinishRotationCoreAsync(who.Describe(), force, ct));

    private async Task<TrustOutcome> AuditedAsync(AuditContext who, string action, string target, object? after, Func<Task<TrustOutcome>> step)
    {
        var outcome = await step();
        await audit.RecordAsync(who, new AuditEvent(action, "trust", target, outcome.Message, After: after,
            Outcome: outcome.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failed), CancellationToken.None);
        return outcome;
    }
}
