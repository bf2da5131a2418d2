using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Sync;

/// <summary>
/// The recurring re-check hands the after-push steps the whole batch at once (issue 20: the export-source observer loads its
/// snapshot once per batch, not once per cluster). A step without its own batch form runs per cluster, and one cluster's
/// failure neither stops the others nor hides itself.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class AfterPushBatchTests
{
    private sealed class PerCluster(int failing) : IAfterPush
    {
        public List<int> Seen { get; } = [];

        public Task AfterPushAsync(int clusterId, CancellationToken ct)
        {
            Seen.Add(clusterId);
            return clusterId == failing ? throw new InvalidOperationException($"cluster {clusterId} failed") : Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_step_without_a_batch_form_runs_for_every_cluster_in_order()
    {
        var step = new PerCluster(failing: -1);

        await ((IAfterPush)step).AfterPushAsync([3, 1, 2], CancellationToken.None);

        Assert.Equal([3, 1, 2], step.Seen);
    }

    [Fact]
    public async Task One_clusters_failure_does_not_stop_the_others_and_is_thrown_at_the_end()
    {
        var step = new PerCluster(failing: 1);

        var thrown = await Assert.ThrowsAsync<AggregateException>(() => ((IAfterPush)step).AfterPushAsync([3, 1, 2], CancellationToken.None));

        Assert.Equal([3, 1, 2], step.Seen);
        Assert.Equal("cluster 1 failed", Assert.Single(thrown.InnerExceptions).Message);
    }
}
