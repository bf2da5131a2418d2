using MeshPortal.Core.Features.Exports;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class CorefileSyntaxTests
{
    // kubeadm's default Corefile (CoreDNS 1.8+).
    private const string Kubeadm = """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf {
               max_concurrent 1000
            }
            cache 30
            loop
            reload
            loadbalance
        }

        """;

    // AKS's managed Corefile imports coredns-custom's keys.
    private const string Aks = """
        .:53 {
            errors
            kubernetes cluster.local in-addr.arpa ip6.arpa {
              pods insecure
              fallthrough in-addr.arpa ip6.arpa
            }
            forward . /etc/resolv.conf
            import custom/*.override
        }
        import custom/*.server

        """;

    [Fact]
    public void Kubeadm_default_is_understood() => Assert.Null(CorefileSyntax.Problem(Kubeadm));

    [Fact]
    public void Our_block_added_is_understood() =>
        Assert.Null(CorefileSyntax.Problem(CorefileEditor.WithGlobalBlock(Kubeadm, "10.96.0.53", useProxy: false)));

    [Theory]
    [InlineData(".:53 {\n    forward . {$UPSTREAM}\n}\n", "environment placeholder")]
    [InlineData(".:53 {\n    errors\n", "never closed")]
    [InlineData(".:53 {\n    errors\n}\n}\n", "closes nothing")]
    [InlineData("errors\nforward . 8.8.8.8\n", "outside any server block")]
    [InlineData(".:53 {\n    rewrite name \"unterminated\n}\n", "unterminated quote")]
    [InlineData(".:53 { errors }\n", "must end its line")]
    [InlineData(".:53 {\n    template IN A {\n        answer <<EOF\n    }\n}\n", "heredoc")]
    public void Unknown_syntax_is_reported_with_its_line(string corefile, string expected)
    {
        var problem = CorefileSyntax.Problem(corefile);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
        Assert.StartsWith("Line ", problem);
    }

    [Fact]
    public void A_top_level_import_is_not_understood_so_an_aks_corefile_is_never_edited()
    {
        // "import custom/*.server" at the top level is how AKS pulls in server blocks; MeshPortal writes to coredns-custom
        // there, and the conservative check does not claim to understand such a Corefile.
        Assert.NotNull(CorefileSyntax.Problem(Aks));
    }
}
