using MeshPortal.Core.Features.Trust;
using MeshPortal.Web.ViewModels;
using MudBlazor;

namespace MeshPortal.Tests.Core.Trust;

/// <summary>The Trust table's "chains to root" is green only once the cluster holds the cacerts (issue 16).</summary>
[Trait("Speed", "Fast")]
public sealed class ClusterTrustRowTests
{
    private static ClusterTrustView View(CacertsState cacerts) => new(1, "c1", "1.28.0", MeshPortal.Core.Features.Trust.IntermediateState.Active, "Mesh root", "01",
        DateTimeOffset.UnixEpoch.AddYears(60), null, ChainsToRoot: true, null, cacerts, null, null, MeshPortal.Core.Features.Clusters.CacertsDecision.None, false);

    [Theory]
    [InlineData(CacertsState.Pending)]
    [InlineData(CacertsState.Failed)]
    [InlineData(CacertsState.ForeignNeedsDecision)]
    public void A_chain_not_yet_in_the_cluster_is_not_green(CacertsState state)
    {
        var row = ClusterTrustRow.From(View(state));
        Assert.Equal(("chains to root once cacerts is written", Color.Default), (row.ChainText, row.ChainColor));
    }

    [Fact]
    public void A_written_chain_is_green() =>
        Assert.Equal(("chains to root", Color.Success), (ClusterTrustRow.From(View(CacertsState.Synced)).ChainText, ClusterTrustRow.From(View(CacertsState.Synced)).ChainColor));
}
