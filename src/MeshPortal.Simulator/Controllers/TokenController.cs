using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Runtime;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// Kubernetes' service account token controller (<c>pkg/controller/serviceaccount/tokens_controller.go</c>): a Secret of type
/// <c>kubernetes.io/service-account-token</c> annotated <c>kubernetes.io/service-account.name</c> gets <c>data.token</c>,
/// <c>data.ca.crt</c> and <c>data.namespace</c> (and the account's uid annotation); one naming a missing account is deleted. Before
/// Kubernetes 1.24 every new account also gets its own <c>&lt;sa&gt;-token-xxxxx</c> Secret listed in <c>secrets</c>
/// (LegacyServiceAccountTokenNoAutoGeneration is on from 1.24). Deleting the Secret or the account revokes the token.
/// </summary>
internal sealed class TokenController(SimulatedCluster cluster)
{
    public const string TokenType = "kubernetes.io/service-account-token";
    public const string NameAnnotation = "kubernetes.io/service-account.name";
    public const string UidAnnotation = "kubernetes.io/service-account.uid";
    private const string Manager = "kube-controller-manager";
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private bool AutoGenerates => SimVersion.Parse(cluster.KubernetesVersion) < new SimVersion(1, 24);

    /// <summary>
    /// A new account on Kubernetes before 1.24 lists the token Secret the controller is about to create for it (one write, where the
    /// real controllers take two).
    /// </summary>
    public void AdmitServiceAccount(JsonObject? old, JsonObject sa)
    {
        if (old is null && AutoGenerates && !sa.Objects("secrets").Any())
        {
            var suffix = string.Concat(RandomNumberGenerator.GetBytes(5).Select(b => SuffixAlphabet[b % SuffixAlphabet.Length]));
            sa["secrets"] = new JsonArray(new JsonObject { ["name"] = $"{sa.Name()}-token-{suffix}" });
        }
    }

    /// <summary>Fills a new token Secret before it is stored (so its creation already carries the token).</summary>
    public void Admit(JsonObject? old, JsonObject secret)
    {
        if (secret.Str("type") != TokenType || secret.Str("data", "token") is not null
            || secret.Str("metadata", "annotations", NameAnnotation) is not { } saName)
        {
            return;
        }

        var ns = secret.Namespace();
        var sa = cluster.Store.Find(cluster.Catalog.FindByPlural("", "serviceaccounts")!, ns, saName);
        if (sa is null)
        {
            return;
        }

        var saUid = sa.Str("metadata", "uid") ?? "";
        var token = cluster.Runtime.Tokens.MintForSecret(ns, saName, saUid, secret.Name(), secret.Str("metadata", "uid") ?? "");
        var meta = secret["metadata"]!.AsObject();
        meta["annotations"]![UidAnnotation] = saUid;
        if (secret["data"] is not JsonObject data)
        {
            data = new JsonObject();
            secret["data"] = data;
        }

        data["ca.crt"] = B64(cluster.CaCertificatePem);
        data["namespace"] = B64(ns);
        data["token"] = B64(token);
    }

    public void SecretChanged(JsonObject? old, JsonObject? next)
    {
        var secret = next ?? old!;
        if (secret.Str("type") != TokenType)
        {
            return;
        }

        var ns = secret.Namespace();
        var tokens = cluster.Runtime.Tokens;
        if (next is null)
        {
            tokens.RevokeSecret(ns, secret.Name());
            return;
        }

        var saName = next.Str("metadata", "annotations", NameAnnotation);
        var sa = saName is null ? null : cluster.Get("", "serviceaccounts", ns, saName);
        if (sa is null)
        {
            tokens.RevokeSecret(ns, next.Name());
            cluster.Operations.Remove(cluster.Catalog.FindByPlural("", "secrets")!, ns, next.Name());
            return;
        }

        tokens.RevokeSecret(ns, next.Name());
        if (next.Str("data", "token") is { } b64 && Decode(b64) is { } token)
        {
            tokens.Register(token, new TokenIdentity(ns, saName!, sa.Str("metadata", "uid") ?? "", next.Name(), null));
        }
    }

    public void ServiceAccountChanged(JsonObject? old, JsonObject? next)
    {
        var ns = (next ?? old!).Namespace();
        if (next is null)
        {
            var secrets = cluster.Catalog.FindByPlural("", "secrets")!;
            foreach (var secret in cluster.List("", "secrets", ns)
                         .Where(s => s.Str("type") == TokenType && s.Str("metadata", "annotations", NameAnnotation) == old!.Name()))
            {
                cluster.Operations.Remove(secrets, ns, secret.Name());
            }

            cluster.Runtime.Tokens.RevokeServiceAccount(ns, old!.Name());
            return;
        }

        if (old is not null || !AutoGenerates || next.Objects("secrets").FirstOrDefault()?.Str("name") is not { } name
            || cluster.Store.Find(cluster.Catalog.FindByPlural("", "secrets")!, ns, name) is not null)
        {
            return;
        }

        cluster.Operations.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = ns,
                ["annotations"] = new JsonObject { [NameAnnotation] = next.Name() },
            },
            ["type"] = TokenType,
        }, Manager);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string b64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
