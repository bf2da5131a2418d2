using System.Text.Json.Serialization;

namespace MeshPortal.Core.Features.Probes;

/// <summary>The class of one probe answer (the API's <c>status</c>). Order = severity for "worst class" (Unknown is not a failure).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeStatus>))]
public enum ProbeStatus
{
    Ok,
    Unknown,
    NotFound,
    NoUpstream,
    Tls,
    Connect,
    Dns,
    ProbePodMissing,

    /// <summary>The <c>.global</c> model cannot carry this link (one side's Istio cannot export or consume it): not probed, never green.</summary>
    Unsupported,

    /// <summary>The target's sidecar refused the call by AuthorizationPolicy (<c>403</c>, body <c>RBAC: access denied</c>): the mesh carries it, a policy denies this caller.</summary>
    RbacDenied,
}

public static class ProbeStatuses
{
    /// <summary>How bad a class is, for picking the worst of several: Ok 0, Unknown 1, Unsupported 2, then the failures.</summary>
    public static int Severity(ProbeStatus status) => status switch
    {
        ProbeStatus.Ok => 0,
        ProbeStatus.Unknown => 1,
        ProbeStatus.Unsupported => 2,
        _ => (int)status + 1,
    };

    public static bool IsFailure(ProbeStatus status) => status is not (ProbeStatus.Ok or ProbeStatus.Unknown);
}
