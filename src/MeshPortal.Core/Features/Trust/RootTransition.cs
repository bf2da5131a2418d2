using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Pure rules of a root transition: a cluster whose istiod runs on its self-signed <c>istio-system/istio-ca-secret</c> gets the mesh
/// root in three phases, so that no workload ever meets a peer certificate it cannot verify (each proxy keeps the certificate and
/// root bundle it got at start until it restarts):
/// <list type="number">
/// <item><see cref="TransitionPhase.Bundle"/>: cacerts signs with the OLD self-signed root (its own key from istio-ca-secret), root-cert.pem =
/// old + mesh. Restarted workloads still hold old-root certificates (every old pod accepts them) but trust the mesh root too.</item>
/// <item><see cref="TransitionPhase.Intermediate"/>: cacerts signs with the cluster's intermediate from the mesh root, root-cert.pem = mesh + old.
/// Old pods (from phase 1) trust the mesh root, new pods still trust the old one: in-cluster traffic keeps flowing, and cross-cluster
/// mTLS works between restarted pods of both clusters.</item>
/// <item><see cref="TransitionPhase.Done"/>: the old root is dropped once every pod holds a mesh-root certificate.</item>
/// </list>
/// Istio documents the same order for a root change ("plug in CA certificates", and the root transition guidance: distribute a bundle of
/// both roots first, then switch the signer, then drop the old root).
/// </summary>
public static class RootTransition
{
    public const string SelfSignedName = "istio-ca-secret";

    public static readonly ObjectRef SelfSignedRef = new("", "v1", "secrets", "Secret", CacertsFiles.Namespace, SelfSignedName);

    public const string NotePrefix = "Root transition phase ";

    /// <summary>
    /// The phase a cluster is in: the stored one when an admin advanced it; otherwise read from the cluster: a cluster whose istiod made
    /// a self-signed root and has no cacerts yet (or has MeshPortal's phase-1 cacerts signing with that root) is at
    /// <see cref="TransitionPhase.Bundle"/>; anything else needs no transition (null).
    /// </summary>
    public static TransitionPhase? Current(TransitionPhase? stored, JsonObject? liveCacerts, JsonObject? selfSigned)
    {
        if (stored is not null)
        {
            return stored;
        }

        var oldRoot = SelfSignedRoot(selfSigned);
        if (oldRoot is null)
        {
            return null;
        }

        if (liveCacerts is null)
        {
            return TransitionPhase.Bundle;
        }

        return !TrustPlanner.IsForeign(liveCacerts) && Same(File(liveCacerts, "ca-cert.pem"), oldRoot) ? TransitionPhase.Bundle : null;
    }

    /// <summary>
    /// The cacerts files of <paramref name="phase"/> (no phase or done: the mesh files unchanged); null when phase 1 cannot be built
    /// because istio-ca-secret has no readable key (then nothing is written: a mesh-root signer now would break running pods).
    /// </summary>
    public static CacertsFiles? Files(TransitionPhase? phase, CacertsFiles mesh, JsonObject? liveCacerts, JsonObject? selfSigned)
    {
        if (phase is null or TransitionPhase.Done)
        {
            return mesh;
        }

        var meshRoots = PemBlocks.Certificates(mesh.RootCertPem).Select(b => Normalize(b.Text)).ToList();
        var old = OldRoots(meshRoots, liveCacerts, selfSigned);
        if (phase == TransitionPhase.Bundle && SelfSignedRoot(selfSigned) is { } oldRoot && File(selfSigned!, "ca-key.pem") is { Length: > 0 } oldKey)
        {
            return new CacertsFiles(Normalize(oldRoot), Normalize(oldKey), string.Concat(new[] { Normalize(oldRoot) }.Concat(meshRoots).Distinct()), Normalize(oldRoot));
        }

        if (phase == TransitionPhase.Bundle)
        {
            return null;
        }

        return mesh with { RootCertPem = string.Concat(meshRoots.Concat(old).Distinct()) };
    }

    /// <summary>The old roots still to be trusted: the self-signed one and any non-mesh root the live cacerts bundle carries.</summary>
    public static IReadOnlyList<string> OldRoots(IReadOnlyList<string> meshRoots, JsonObject? liveCacerts, JsonObject? selfSigned)
    {
        var old = new List<string>();
        if (SelfSignedRoot(selfSigned) is { } s)
        {
            old.Add(Normalize(s));
        }

        if (liveCacerts is not null && !TrustPlanner.IsForeign(liveCacerts))
        {
            old.AddRange(PemBlocks.Certificates(File(liveCacerts, "root-cert.pem")).Select(b => Normalize(b.Text)));
        }

        return old.Where(o => !meshRoots.Contains(o)).Distinct().ToList();
    }

    /// <summary>
    /// Which phase the cacerts in the cluster is written for: signing with the old self-signed root (bundle), signing with a mesh
    /// intermediate while still trusting an old root (intermediate), or mesh roots only (done); null without a MeshPortal cacerts.
    /// </summary>
    public static TransitionPhase? LivePhase(JsonObject? liveCacerts, JsonObject? selfSigned, IReadOnlyList<string> meshRootPems)
    {
        if (liveCacerts is null || TrustPlanner.IsForeign(liveCacerts))
        {
            return null;
        }

        if (SelfSignedRoot(selfSigned) is { } oldRoot && Same(File(liveCacerts, "ca-cert.pem"), oldRoot))
        {
            return TransitionPhase.Bundle;
        }

        var meshRoots = meshRootPems.Select(Normalize).ToList();
        return OldRoots(meshRoots, liveCacerts, null).Count > 0 ? TransitionPhase.Intermediate : TransitionPhase.Done;
    }

    /// <summary>The planner note for a cluster in transition (the Trust page reads the phase back from it).</summary>
    public static string Note(TransitionPhase phase) => phase switch
    {
        TransitionPhase.Bundle => NotePrefix + "1 of 3 (bundle): cacerts still signs with the cluster's self-signed root and root-cert.pem carries it and the mesh root; restart istiod where needed, then every gateway and workload.",
        TransitionPhase.Intermediate => NotePrefix + "2 of 3 (intermediate): cacerts signs with the mesh intermediate; root-cert.pem still carries the old root; restart istiod where needed, then every gateway and workload.",
        _ => NotePrefix + "3 of 3 (done): root-cert.pem carries the mesh root only; restart what still holds the old bundle.",
    };

    public const string NoOldKeyNote =
        "Root transition phase 1 needs istio-system/istio-ca-secret (istiod's self-signed root and key) to keep signing with the old root while every pod learns the mesh root; it is missing or has no ca-key.pem, so cacerts was not written";

    /// <summary>The phase a planner note names, or null.</summary>
    public static TransitionPhase? FromNotes(IEnumerable<string> notes)
    {
        foreach (var n in notes)
        {
            if (n.StartsWith(NotePrefix, StringComparison.Ordinal) && n.Length > NotePrefix.Length && char.IsDigit(n[NotePrefix.Length]))
            {
                return (TransitionPhase)(n[NotePrefix.Length] - '0');
            }
        }

        return null;
    }

    public static string? SelfSignedRoot(JsonObject? selfSigned)
    {
        if (selfSigned is null)
        {
            return null;
        }

        var pem = File(selfSigned, "ca-cert.pem");
        return PemBlocks.Certificates(pem).Count == 0 ? null : PemBlocks.Certificates(pem)[0].Text;
    }

    private static bool Same(string a, string b) =>
        PemBlocks.Certificates(a).Count > 0 && Normalize(PemBlocks.Certificates(a)[0].Text) == Normalize(b);

    internal static string File(JsonObject secret, string name)
    {
        if (secret["data"]?[name]?.GetValue<string>() is { } b64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return secret["stringData"]?[name]?.GetValue<string>() ?? "";
    }

    private static string Normalize(string pem)
    {
        var trimmed = pem.Replace("\r\n", "\n").Trim();
        return trimmed.Length == 0 ? "" : trimmed + "\n";
    }
}
