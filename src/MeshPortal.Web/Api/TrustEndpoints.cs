using System.Security.Claims;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>GET status, POST root (generate/import/external), root-cert.pem, per-cluster re-issue, CSR, signed upload, decision, istiod restart.</summary>
internal static class TrustEndpoints
{
    public static void MapTrustApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/trust").WithTags("Trust").RequireAuthorization();
        group.MapGet("/", GetAsync).WithSummary("The mesh root and, per cluster, its intermediate CA, expiry, chain check and in-cluster cacerts state.");
        group.MapPost("/root", CreateRootAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Create the mesh root once: {\"mode\":\"generate\",\"keyType\":\"Rsa4096\"|\"EcdsaP256\"}, {\"mode\":\"import\",\"certificatePem\",\"privateKeyPem\"} or {\"mode\":\"external\",\"certificatePem\"}. 409 when a root exists.");
        group.MapGet("/root-cert.pem", RootCertAsync).WithSummary("The trust bundle (public root certificates only), as PEM.");
        group.MapPost("/clusters/{name}/reissue", ReissueAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Re-issue the cluster's intermediate CA (new key, same root) and push it.");
        group.MapGet("/clusters/{name}/csr.pem", CsrAsync).WithSummary("External root: the CSR waiting for the company CA's signature.");
        group.MapPost("/clusters/{name}/certificate", UploadAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("External root: upload the signed intermediate certificate {\"certificatePem\"}.");
        group.MapPost("/clusters/{name}/decision", DecideAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("For a cacerts MeshPortal did not write: {\"decision\":\"Adopt\"|\"Replace\"|\"None\"}.");
        group.MapPost("/clusters/{name}/restart-istiod", RestartAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Rollout-restart istiod (Istio < 1.18 reads cacerts only at start).");
        group.MapGet("/clusters/{name}/rollout", RolloutAsync)
            .WithSummary("The cluster's certificate roll-out, read from the cluster now: root transition phase, whether istiod must restart, the pods that still hold a certificate from before the current cacerts and the kubectl commands to restart them.");
        group.MapPost("/clusters/{name}/restart-gateways", RestartGatewaysAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Rollout-restart the gateway Deployments that still hold a certificate from before the current cacerts (409 while istiod must restart first).");
        group.MapPost("/clusters/{name}/advance", AdvanceAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Start the next root transition phase (bundle → intermediate → done) when every proxy is current; {\"override\":true} skips the gate (audited). 409 with the reason otherwise.");
        group.MapGet("/rotation", RotationAsync).WithSummary("Root rotation: the current phase, the next step and what it changes in every cluster's cacerts.");
        group.MapPost("/rotation/{step}", RotateAsync).RequireAuthorization(Policies.TrustManage).DisableAntiforgery()
            .WithSummary("Apply a root rotation step: start (add the next root everywhere; optional {\"keyType\"}), switch (intermediates from the next root), finish (drop the old root). Out of order: 409. Switch and finish wait until every gateway and workload holds a certificate from the current cacerts (409 listing what to restart); {\"override\":true} skips that gate (audited).");
        group.MapGet("/issuance", Issuance)
            .WithSummary("Progress of the current or last batch of intermediate CAs (large RSA batches run in the background).");
    }

    private static Ok<IssuanceSnapshot> Issuance(TrustService trust) => TypedResults.Ok(trust.Issuance);

    private static async Task<Ok<RotationPlanDto>> RotationAsync(TrustStatusReader reader, CancellationToken ct) =>
        TypedResults.Ok(RotationPlanDto.From(RotationPreview.For(await reader.ReadAsync(ct))));

    private static async Task<Results<Ok<RotationResultDto>, ValidationProblem, ProblemHttpResult>> RotateAsync(
        string step, RotationRequest? request, TrustService trust, TrustStatusReader reader, HttpContext http, CancellationToken ct)
    {
        var outcome = await trust.RotateAsync(step, request?.KeyType, AuditContexts.From(http), ct, request?.Override == true);
        return outcome.Kind switch
        {
            TrustOutcomeKind.Ok => TypedResults.Ok(new RotationResultDto(outcome.Message, RotationPlanDto.From(RotationPreview.For(await reader.ReadAsync(ct))))),
            TrustOutcomeKind.Invalid => Invalid(outcome, "Rotation step not applied"),
            _ => Problem(outcome, "Rotation step not applied"),
        };
    }

    private static async Task<Ok<TrustStatusDto>> GetAsync(TrustStatusReader reader, CancellationToken ct) =>
        TypedResults.Ok(TrustStatusDto.From(await reader.ReadAsync(ct)));

    private static async Task<Results<Created<TrustStatusDto>, ValidationProblem, ProblemHttpResult>> CreateRootAsync(
        CreateRootRequest request, TrustService trust, TrustStatusReader reader, HttpContext http, CancellationToken ct)
    {
        var outcome = await trust.CreateRootAsync(request, AuditContexts.From(http), ct);
        return outcome.Kind switch
        {
            TrustOutcomeKind.Ok => TypedResults.Created(PortalUrls.Api.Trust(), TrustStatusDto.From(await reader.ReadAsync(ct))),
            TrustOutcomeKind.Invalid => Invalid(outcome, "The root was not created"),
            _ => Problem(outcome, "A mesh root already exists"),
        };
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> RootCertAsync(TrustService trust, CancellationToken ct) =>
        await trust.GetRootBundleAsync(ct) is { } pem
            ? TypedResults.Text(pem, "text/plain")
            : TypedResults.Problem(statusCode: 404, title: "No mesh root", detail: "No mesh root exists yet: POST /api/v1/trust/root creates one.");

    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> ReissueAsync(string name, TrustService trust, HttpContext http, CancellationToken ct) =>
        Result(await trust.ReissueAsync(name, AuditContexts.From(http), ct), "Not re-issued");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> CsrAsync(string name, TrustService trust, CancellationToken ct) =>
        await trust.GetCsrAsync(name, ct) is { } csr
            ? TypedResults.Text(csr, "text/plain")
            : TypedResults.Problem(statusCode: 404, title: "No CSR", detail: $"No CSR is waiting for a signature for '{name}'.");

    private static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string name, UploadCertificateRequest request, TrustService trust, HttpContext http, CancellationToken ct)
    {
        var outcome = await trust.UploadSignedAsync(name, request.CertificatePem, AuditContexts.From(http), ct);
        return outcome.Kind == TrustOutcomeKind.Invalid ? Invalid(outcome, "The certificate was not accepted") : ResultOf(outcome, "Not stored");
    }

    private static async Task<Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string name, DecisionRequest request, TrustService trust, HttpContext http, CancellationToken ct)
    {
        if (!Enum.TryParse<CacertsDecision>(request.Decision, ignoreCase: true, out var decision) || !Enum.IsDefined(decision))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["decision"] = ["Choose \"Adopt\", \"Replace\" or \"None\"."] },
                title: "Unknown decision");
        }

        return ResultOf(await trust.SetDecisionAsync(name, decision, AuditContexts.From(http), ct), "Not changed");
    }

    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> RestartAsync(string name, IstiodRestarter restarter, HttpContext http, CancellationToken ct) =>
        Result(await restarter.RestartAsync(name, AuditContexts.From(http), ct), "istiod not restarted");

    private static async Task<Results<Ok<ClusterRolloutDto>, ProblemHttpResult>> RolloutAsync(string name, TrustRollout rollout, CancellationToken ct) =>
        await rollout.ObserveAsync(name, ct) is { } view
            ? TypedResults.Ok(ClusterRolloutDto.From(view))
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No cluster named '{name}' is registered.");

    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> RestartGatewaysAsync(string name, TrustRollout rollout, HttpContext http, CancellationToken ct) =>
        Result(await rollout.RestartGatewaysAsync(name, AuditContexts.From(http), ct), "Gateways not restarted");

    private static async Task<Results<Ok<MessageDto>, ProblemHttpResult>> AdvanceAsync(string name, AdvanceRequest? request, TrustRollout rollout, HttpContext http, CancellationToken ct) =>
        Result(await rollout.AdvanceAsync(name, request?.Override == true, AuditContexts.From(http), ct), "Phase not advanced");

    private static Results<Ok<MessageDto>, ProblemHttpResult> Result(TrustOutcome outcome, string title) =>
        outcome.Succeeded ? TypedResults.Ok(new MessageDto(outcome.Message)) : Problem(outcome, title);

    private static Results<Ok<MessageDto>, ValidationProblem, ProblemHttpResult> ResultOf(TrustOutcome outcome, string title) =>
        outcome.Succeeded ? TypedResults.Ok(new MessageDto(outcome.Message)) : Problem(outcome, title);

    private static ProblemHttpResult Problem(TrustOutcome outcome, string title) => TypedResults.Problem(
        statusCode: outcome.Kind switch
        {
            TrustOutcomeKind.NotFound => StatusCodes.Status404NotFound,
            TrustOutcomeKind.Invalid => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        },
        title: outcome.Kind == TrustOutcomeKind.NotFound ? "Not found" : title,
        detail: outcome.Message);

    private static ValidationProblem Invalid(TrustOutcome outcome, string title) =>
        TypedResults.ValidationProblem(outcome.Errors.ToDictionary(e => e.Key, e => e.Value), title: title, detail: outcome.Message);
}

public sealed record UploadCertificateRequest(string? CertificatePem);

public sealed record DecisionRequest(string? Decision);

public sealed record MessageDto(string Message);

public sealed record RotationRequest(string? KeyType, bool? Override = null);

public sealed record AdvanceRequest(bool? Override);

/// <summary>One pod that still holds a certificate from before the current cacerts, and the command that restarts it.</summary>
public sealed record StalePodDto(string Namespace, string Name, bool Gateway, string Workload, string Command);

/// <summary>
/// A cluster's certificate roll-out: transition phase ("Bundle", "Intermediate", "Done" or null), the phase the in-cluster cacerts is
/// written for, the step to take ("WaitForPush", "RestartIstiod", "WaitForIstiod", "RestartPods", "Ready"), and what still holds old certificates.
/// </summary>
public sealed record ClusterRolloutDto(string Cluster, string? IstioVersion, string? Phase, string? LivePhase, string? NextPhase, string? Step,
    string? Message, bool? IstiodStartedPlugged, bool CanAdvance, IReadOnlyList<StalePodDto> Stale, IReadOnlyList<string> Commands,
    IReadOnlyList<string> Gateways, string? Error, DateTimeOffset ObservedAt)
{
    public static ClusterRolloutDto From(ClusterRollout r) => new(r.Cluster, r.IstioVersion, r.Phase?.ToString(), r.LivePhase?.ToString(),
        r.NextPhase?.ToString(), r.Advice?.Step.ToString(), r.Advice?.Message, r.Advice?.IstiodStartedPlugged, r.Advice?.CanAdvance == true,
        r.Advice?.Stale.Select(s => new StalePodDto(s.Namespace, s.Name, s.IsGateway, s.Workload, s.Command)).ToList() ?? [],
        r.Advice?.Commands ?? [], r.Advice?.GatewayDeployments ?? [], r.Error, r.ObservedAt);
}

/// <summary>The step's message and the plan after it: the phase now and what the following step would change.</summary>
public sealed record RotationResultDto(string Message, RotationPlanDto Rotation);

/// <summary>The rotation phase ("None", "NextRootDistributed", "IntermediatesSwitched"), the next step and its effect on each cluster's cacerts.</summary>
public sealed record RotationPlanDto(string Phase, string? NextStep, string? Blocked, IReadOnlyList<ClusterRotationChange> Changes)
{
    public static RotationPlanDto From(RotationPlan plan) => new(plan.Phase.ToString(), plan.NextStep, plan.Blocked, plan.Changes);
}

public sealed record TrustRootDto(string Mode, string State, string Subject, string KeyType, string FingerprintSha256, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, int DaysLeft, string Expiry)
{
    public static TrustRootDto? From(TrustRootView? r) => r is null ? null : new(r.Mode.ToString(), r.State.ToString(), r.Subject, r.KeyType,
        r.FingerprintSha256, r.NotBefore, r.NotAfter, r.Expiry.DaysLeft, r.Expiry.Severity.ToString());
}

public sealed record ClusterTrustDto(string Cluster, string? IstioVersion, string? Intermediate, string? Issuer, DateTimeOffset? NotAfter,
    int? DaysLeft, string? Expiry, bool? ChainsToRoot, string? ChainProblem, string Cacerts, string? CacertsMessage, DateTimeOffset? LastSyncedAt,
    string Decision, bool NeedsIstiodRestart, string? Transition)
{
    public static ClusterTrustDto From(ClusterTrustView c) => new(c.Cluster, c.IstioVersion, c.IntermediateState?.ToString(), c.IntermediateIssuer,
        c.NotAfter, c.Expiry?.DaysLeft, c.Expiry?.Severity.ToString(), c.ChainsToRoot, c.ChainProblem, c.Cacerts.ToString(), c.CacertsMessage,
        c.LastSyncedAt, c.Decision.ToString(), c.NeedsIstiodRestart, c.Transition?.ToString());
}

public sealed record TrustStatusDto(TrustRootDto? Root, TrustRootDto? NextRoot, string Rotation, IReadOnlyList<ClusterTrustDto> Clusters,
    IReadOnlyList<string> Warnings, DateTimeOffset ObservedAt)
{
    public static TrustStatusDto From(TrustStatus s) => new(TrustRootDto.From(s.Root), TrustRootDto.From(s.NextRoot), s.Rotation.ToString(),
        s.Clusters.Select(ClusterTrustDto.From).ToList(), s.ExpiryWarnings.Select(w => w.Expiry.Describe(w.Subject)).ToList(), s.ObservedAt);
}
