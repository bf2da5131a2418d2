using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>The "mesh" desired-state source: every registered cluster that can join a multi-primary mesh, as its peers see it.</summary>
public sealed class MultiPrimarySource(SecretProtector secrets, IOptions<ClusterAccessOptions> access) : IDesiredStateSource
{
    public string Name => MultiPrimaryPlanner.Source;

    public async Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.MeshFactsJson != null).ToListAsync(ct);
        var peers = new List<MeshPeer>();
        var members = new List<MeshMember>();
        var policy = access.Value.ToPolicy();
        foreach (var c in clusters)
        {
            var facts = MeshFactsJson.Deserialize(c.MeshFactsJson);
            if (facts is null || !MultiPrimaryRules.Decide(facts).Supported)
            {
                continue;
            }

            members.Add(new MeshMember(c.Name, facts, c.Network));
            var selected = KubeconfigParser.Parse(secrets.UnprotectKubeconfig(c.ProtectedKubeconfig), policy, c.Context).Selected;
            var ca = selected?.CertificateAuthorityData is { } bytes ? Convert.ToBase64String(bytes) : "";
            var token = c.ProtectedReaderToken is null ? null : secrets.UnprotectReaderToken(c.ProtectedReaderToken);
            peers.Add(new MeshPeer(c.Id, c.Name, facts.IstioClusterId!, c.PeerApiServer ?? selected?.Server ?? c.Server, ca, token));
        }

        return new MultiPrimaryPlanner(peers, members, [.. clusters.Where(c => c.DeployEastWestGateway).Select(c => c.Id)]);
    }
}
