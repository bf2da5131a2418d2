using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Runtime;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// istiod's life cycle and what it gives proxies (<c>pilot/pkg/bootstrap/istio_ca.go</c>):
/// <list type="bullet">
/// <item>When an istiod pod starts it reads <c>istio-system/cacerts</c> once: with a <c>ca-key.pem</c> it signs with that plugged CA
/// (unusable files: it crashes, CrashLoopBackOff); without, it uses <c>istio-ca-secret</c>, creating a self-signed root there if absent.</item>
/// <item>A changed <c>cacerts</c> is picked up without a restart only if istiod started with plugged certs and its version reloads them
/// (<see cref="IstioReleases.ReloadsPluggedCerts"/>); otherwise only the next istiod start reads it.</item>
/// <item>Every proxy (sidecar or gateway) gets its certificate and root bundle from its revision's istiod when it starts, and keeps them
/// until it restarts. A proxy starting while no istiod serves gets nothing: its istio-proxy container stays not ready until istiod is
/// back. When istiod stops serving, its proxies keep the last config they had.</item>
/// </list>
/// The <see cref="SimulatedFaults.IstiodDown"/> fault puts istiod in CrashLoopBackOff; clearing it is a new start (cacerts read again).
/// </summary>
internal sealed class IstiodController(SimulatedCluster cluster)
{
    private const string Kubelet = "kubelet";
    private const string Ns = "istio-system";

    public static bool IsIstiod(JsonObject pod) =>
        pod.Namespace() == Ns && pod.Str("metadata", "labels", "app") == "istiod" && pod.Objects("spec", "containers").Any(c => c.Str("name") == "discovery");

    public static string RevisionOf(JsonObject pod) => pod.Str("metadata", "labels", "istio.io/rev") ?? "default";

    /// <summary>Before a new pod is stored: istiod under the fault crashes; a proxy without a serving istiod is not ready.</summary>
    public void AdmitPod(JsonObject? old, JsonObject pod)
    {
        if (old is not null)
        {
            return;
        }

        if (IsIstiod(pod) && cluster.Faults.IstiodDown)
        {
            PodReadiness.SetNotReady(pod, "discovery", "istiod is down (simulated fault)", Now());
        }
        else if (PodFacts.HasProxy(pod) && cluster.Runtime.Istiod(RevisionOf(pod)) is null)
        {
            PodReadiness.SetNotReady(pod, PodFacts.SidecarName, null, Now());
        }
    }

    public void PodChanged(JsonObject? old, JsonObject? next)
    {
        var pod = next ?? old!;
        var uid = pod.Str("metadata", "uid") ?? "";
        if (IsIstiod(pod))
        {
            var revision = RevisionOf(pod);
            var run = cluster.Runtime.Istiod(revision);
            if (next is not null && PodFacts.IsReady(next) && (run is null || run.PodUid != uid || old is null || !PodFacts.IsReady(old)))
            {
                Start(revision, next);
            }
            else if ((next is null || !PodFacts.IsReady(next)) && run?.PodUid == uid)
            {
                var other = cluster.Stored("", "pods", Ns).FirstOrDefault(p => IsIstiod(p) && RevisionOf(p) == revision && PodFacts.IsReady(p) && p.Str("metadata", "uid") != uid);
                if (other is not null)
                {
                    Start(revision, other);
                }
                else
                {
                    cluster.Runtime.Stopped(revision, cluster.ConfigSnapshot?.Invoke(revision));
                }
            }

            return;
        }

        if (!PodFacts.HasProxy(pod))
        {
            return;
        }

        if (next is null)
        {
            cluster.Runtime.Forget(uid);
        }
        else if (old is null)
        {
            if (cluster.Runtime.Istiod(RevisionOf(next)) is { } serving)
            {
                cluster.Runtime.Issue(uid, new WorkloadCert(serving.Ca, cluster.Time.GetUtcNow()));
            }
            else
            {
                cluster.Runtime.Waiting(uid);
            }
        }
    }

    /// <summary>A changed <c>cacerts</c>: istiods that started plugged and reload certs sign with the new CA from now on.</summary>
    public void SecretChanged(JsonObject? old, JsonObject? next)
    {
        var secret = next ?? old!;
        if (secret.Namespace() != Ns || secret.Name() != "cacerts" || next is null || !CaMaterial.HasSigningKey(next))
        {
            return;
        }

        var material = CaMaterial.Parse(next);
        if (material.Problem is not null)
        {
            return;
        }

        foreach (var run in cluster.Runtime.Istiods.Where(r => r.Plugged))
        {
            if (IstioReleases.ReloadsPluggedCerts(cluster.Install.Version, run.Env.GetValueOrDefault("AUTO_RELOAD_PLUGIN_CERTS")))
            {
                cluster.Runtime.Reloaded(run.Revision, material);
            }
        }
    }

    /// <summary>The IstiodDown fault switched: istiod's pods crash, or come back (a new start that reads cacerts again).</summary>
    public void FaultChanged()
    {
        foreach (var pod in cluster.List("", "pods", Ns).Where(IsIstiod))
        {
            var down = cluster.Faults.IstiodDown;
            if (down == !PodFacts.IsReady(pod))
            {
                continue;
            }

            if (down)
            {
                PodReadiness.SetNotReady(pod, "discovery", "istiod is down (simulated fault)", Now());
            }
            else
            {
                PodReadiness.SetReady(pod, Now());
            }

            WriteStatus(pod);
        }
    }

    private void Start(string revision, JsonObject pod)
    {
        var env = pod.Objects("spec", "containers").Where(c => c.Str("name") == "discovery").SelectMany(c => c.Objects("env"))
            .Where(e => e.Str("name") is not null && e.Str("value") is not null)
            .GroupBy(e => e.Str("name")!)
            .ToDictionary(g => g.Key, g => g.Last().Str("value")!, StringComparer.Ordinal);
        var (ca, plugged, problem) = ReadCa();
        if (problem is not null)
        {
            cluster.Runtime.Stopped(revision, cluster.Runtime.Istiod(revision) is null ? null : cluster.ConfigSnapshot?.Invoke(revision));
            PodReadiness.SetNotReady(pod, "discovery", $"failed to create an istiod CA: {problem}", Now());
            WriteStatus(pod);
            return;
        }

        cluster.Runtime.Started(new IstiodRun(revision, pod.Str("metadata", "uid") ?? "", pod.Name(), cluster.Time.GetUtcNow(), ca!, plugged, env));
        if (cluster.Runtime.WaitingPods.Count == 0)
        {
            return;
        }

        foreach (var stored in cluster.Stored("", "pods").Where(p => cluster.Runtime.IsWaiting(p.Str("metadata", "uid") ?? "") && RevisionOf(p) == revision))
        {
            cluster.Runtime.Issue(stored.Str("metadata", "uid")!, new WorkloadCert(ca!, cluster.Time.GetUtcNow()));
            var waiting = cluster.Get("", "pods", stored.Namespace(), stored.Name())!;
            PodReadiness.SetReady(waiting, Now());
            WriteStatus(waiting);
        }
    }

    private (CaMaterial? Ca, bool Plugged, string? Problem) ReadCa()
    {
        var secrets = cluster.Catalog.FindByPlural("", "secrets")!;
        var cacerts = cluster.Store.Find(secrets, Ns, "cacerts");
        if (cacerts is not null && CaMaterial.HasSigningKey(cacerts))
        {
            var plugged = CaMaterial.Parse(cacerts);
            return plugged.Problem is null ? (plugged, true, null) : (null, true, plugged.Problem);
        }

        var selfSigned = cluster.Store.Find(secrets, Ns, "istio-ca-secret");
        if (selfSigned is null)
        {
            selfSigned = cluster.Operations.Put(SelfSignedSecret(cluster.Time.GetUtcNow()), "pilot-discovery");
        }

        var material = CaMaterial.SelfSigned(selfSigned);
        return material.Problem is null ? (material, false, null) : (null, false, material.Problem);
    }

    /// <summary><c>istio-ca-secret</c> as istiod writes it: a self-signed root (<c>O=cluster.local</c>, 10 years; ECDSA here, RSA 2048 in Istio).</summary>
    private static JsonObject SelfSignedSecret(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=cluster.local", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var cert = request.CreateSelfSigned(now.AddMinutes(-1), now.AddYears(10));
        static string B64(string s) => Convert.ToBase64String(Encoding.ASCII.GetBytes(s));
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "istio-ca-secret", ["namespace"] = Ns },
            ["type"] = "istio.io/ca-root",
            ["data"] = new JsonObject
            {
                ["ca-cert.pem"] = B64(cert.ExportCertificatePem() + "\n"),
                ["ca-key.pem"] = B64(key.ExportPkcs8PrivateKeyPem() + "\n"),
                ["cert-chain.pem"] = "",
                ["root-cert.pem"] = "",
            },
        };
    }

    private void WriteStatus(JsonObject pod)
    {
        pod["metadata"]!.AsObject().Remove("resourceVersion");
        cluster.Operations.Put(pod, Kubelet);
    }

    private string Now() => cluster.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
