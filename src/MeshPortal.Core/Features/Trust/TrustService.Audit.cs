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
            pending => CreateRootCoreAsync(request, who.Describe(), pending, ct));

    public Task<TrustOutcome> ReissueAsync(string? clusterName, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.reissued", clusterName ?? "all clusters", null, _ => ReissueCoreAsync(clusterName, who.Describe(), ct));

    public Task<TrustOutcome> SetDecisionAsync(string clusterName, CacertsDecision decision, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.cacerts_decision", clusterName, new { Decision = decision.ToString() },
            pending => SetDecisionCoreAsync(clusterName, decision, who.Describe(), pending, ct));

    public Task<TrustOutcome> UploadSignedAsync(string clusterName, string? certificatePem, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.signed_uploaded", clusterName, null, pending => UploadSignedCoreAsync(clusterName, certificatePem, who.Describe(), pending, ct));

    public Task<TrustOutcome> StartRotationAsync(string? keyType, AuditContext who, CancellationToken ct) =>
        AuditedAsync(who, "trust.rotation_started", "root", new { KeyType = keyType }, pending => StartRotationCoreAsync(keyType, who.Describe(), pending, ct));

    public Task<TrustOutcome> SwitchIntermediatesAsync(AuditContext who, CancellationToken ct, bool force = false) =>
        AuditedAsync(who, "trust.rotation_switched", "root", force ? new { Override = true } : null, _ => SwitchIntermediatesCoreAsync(who.Describe(), force, ct));

    public Task<TrustOutcome> FinishRotationAsync(AuditContext who, CancellationToken ct, bool force = false) =>
        AuditedAsync(who, "trust.rotation_finished", "root", force ? new { Override = true } : null, pending => FinishRotationCoreAsync(who.Describe(), force, pending, ct));

    /// <summary>
    /// Runs a step. A step that saves a change stages its audit record into that save (<see cref="TrustAudit.Stage"/>), so both
    /// are stored or neither. A refusal changes nothing and is recorded on its own; so is re-issuing, whose rows the
    /// <see cref="IntermediateIssuer"/> writes (now or in the background) and which this record only announces.
    /// </summary>
    private async Task<TrustOutcome> AuditedAsync(AuditContext who, string action, string target, object? after, Func<TrustAudit, Task<TrustOutcome>> step)
    {
        var pending = new TrustAudit(who, action, target, after, clock);
        var outcome = await step(pending);
        if (!pending.Staged)
        {
            await audit.RecordAsync(who, new AuditEvent(action, "trust", target, outcome.Message, After: after,
                Outcome: outcome.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failed), CancellationToken.None);
        }

        return outcome;
    }
}

/// <summary>The audit record of one trust action, staged by the step into the SaveChanges that stores its change.</summary>
internal sealed class TrustAudit(AuditContext who, string action, string target, object? after, TimeProvider clock)
{
    public bool Staged { get; private set; }

    public void Stage(MeshPortal.Core.Platform.Persistence.MeshPortalDbContext db, string summary)
    {
        AuditLog.Stage(db, who, new AuditEvent(action, "trust", target, summary, After: after), clock.GetUtcNow());
        Staged = true;
    }
}
