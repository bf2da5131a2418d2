using System.Text.Json.Serialization;

namespace MeshPortal.Core.Probes;

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
}

public static class ProbeStatuses
{
    /// <summary>How bad a class is, for picking the worst of several: Ok 0, Unknown 1, then the failures.</summary>
    public static int Severity(ProbeStatus status) => (int)status;

    public static bool IsFailure(ProbeStatus status) => status is not (ProbeStatus.Ok or ProbeStatus.Unknown);
}
