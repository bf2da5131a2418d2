using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

public sealed class TrustVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static TrustResult Check(JsonObject? a, JsonObject? b, DateTimeOffset? now = null) =>
        new TrustVerifier().Check("a", Material(a), "b", Material(b), now ?? Now);

    /// <summary>A cluster's CA: its cacerts, or (without) a self-signed root of its own, as istiod would make.</summary>
    private static CaMaterial Material(JsonObject? cacerts)
    {
        if (cacerts is not null)
        {
            return CaMaterial.Parse(cacerts);
        }

        var own = TestPki.Root("self-signed " + Guid.NewGuid());
        var secret = TestPki.CacertsSecret(own, own);
        secret["data"]!["root-cert.pem"] = "";
        secret["data"]!["cert-chain.pem"] = "";
        return CaMaterial.SelfSigned(secret);
    }

    private static JsonObject Secret(TestPki.Ca intermediate, params TestPki.Ca[] roots) => TestPki.CacertsSecret(intermediate, roots);

    [Fact]
    public void Intermediates_of_one_root_trust_each_other()
    {
        var result = Check(Secret(TestPki.Intermediate(TestPki.SharedRoot, "a"), TestPki.SharedRoot), Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot));

        Assert.True(result.Trusted, result.Explanation);
    }

    [Fact]
    public void Different_roots_do_not()
    {
        var result = Check(Secret(TestPki.Intermediate(TestPki.SharedRoot, "a"), TestPki.SharedRoot), Secret(TestPki.Intermediate(TestPki.OtherRoot, "b"), TestPki.OtherRoot));

        Assert.False(result.Trusted);
        Assert.Contains("does not trust", result.Explanation);
    }

    [Fact]
    public void Without_cacerts_a_cluster_trusts_nobody_else()
    {
        var shared = Secret(TestPki.Intermediate(TestPki.SharedRoot, "a"), TestPki.SharedRoot);

        Assert.False(Check(null, null).Trusted);
        Assert.False(Check(shared, null).Trusted);
        Assert.Contains("self-signed", Check(null, shared).Explanation);
    }

    [Fact]
    public void A_root_bundle_during_rotation_trusts_both_roots()
    {
        var oldSide = Secret(TestPki.Intermediate(TestPki.OtherRoot, "a"), TestPki.OtherRoot, TestPki.SharedRoot);
        var newSide = Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot, TestPki.OtherRoot);
        var newOnly = Secret(TestPki.Intermediate(TestPki.SharedRoot, "c"), TestPki.SharedRoot);

        Assert.True(Check(oldSide, newSide).Trusted);
        Assert.False(Check(oldSide, newOnly).Trusted); // newOnly cannot verify an intermediate of the old root
    }

    [Fact]
    public void An_expired_intermediate_breaks_trust()
    {
        var expired = TestPki.Intermediate(TestPki.SharedRoot, "a", notBefore: Now.AddDays(-30), notAfter: Now.AddDays(-1));
        var result = Check(Secret(expired, TestPki.SharedRoot), Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot));

        Assert.False(result.Trusted);
        Assert.Contains("NotTimeValid", result.Explanation);
    }

    [Fact]
    public void An_intermediate_without_the_ca_flag_is_refused()
    {
        var leafLike = TestPki.Intermediate(TestPki.SharedRoot, "a", isCa: false);
        var result = Check(Secret(leafLike, TestPki.SharedRoot), Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot));

        Assert.False(result.Trusted);
        Assert.Contains("not a CA", result.Explanation);
    }

    [Fact]
    public void A_key_that_does_not_match_the_certificate_is_refused()
    {
        var secret = Secret(TestPki.Intermediate(TestPki.SharedRoot, "a"), TestPki.SharedRoot);
        secret["data"]!["ca-key.pem"] = Secret(TestPki.Intermediate(TestPki.SharedRoot, "x"), TestPki.SharedRoot)["data"]!["ca-key.pem"]!.DeepClone();

        var result = Check(secret, Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot));

        Assert.False(result.Trusted);
        Assert.Contains("cannot be used", result.Explanation);
    }

    [Fact]
    public void Results_are_cached_by_content()
    {
        var verifier = new TrustVerifier();
        var a = CaMaterial.Parse(Secret(TestPki.Intermediate(TestPki.SharedRoot, "a"), TestPki.SharedRoot));
        var b = CaMaterial.Parse(Secret(TestPki.Intermediate(TestPki.SharedRoot, "b"), TestPki.SharedRoot));
        var first = verifier.Check("a", a, "b", b, Now);
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            verifier.Check("a", a, "b", b, Now);
        }

        Assert.True(first.Trusted, first.Explanation);
        Assert.True(started.ElapsedMilliseconds < 1000, $"1000 cached checks took {started.ElapsedMilliseconds} ms");
    }
}
