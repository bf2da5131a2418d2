using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Tokens;

[Trait("Speed", "Fast")]
public sealed class WholeTokensTests
{
    [Fact]
    public void Identifiers_are_kept_whole_and_the_pieces_give_back_the_text()
    {
        const string text = "Deployment istio-system/istiod has 0 ready replicas on cluster-1. Try kubectl -n istio-system get pods.";
        var pieces = WholeTokens.Split(text);
        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        Assert.Equal(["istio-system/istiod", "cluster-1.", "istio-system"], pieces.Where(p => p.Whole).Select(p => p.Text));
    }

    [Fact]
    public void Plain_words_a_trailing_full_stop_and_a_leading_dash_do_not_count_as_identifiers()
    {
        var pieces = WholeTokens.Split("Every stage passed. Use -n to pick a namespace.");
        Assert.Single(pieces);
        Assert.False(pieces[0].Whole);
    }

    [Fact]
    public void A_token_too_long_for_a_phone_may_still_break()
    {
        var url = "https://" + new string('a', 40) + ".example.com:6443";
        Assert.DoesNotContain(WholeTokens.Split($"API server {url} refused"), p => p.Whole);
        Assert.Empty(WholeTokens.Split(null));
    }
}
