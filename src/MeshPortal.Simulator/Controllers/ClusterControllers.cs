using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Store;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// The cluster's controllers and webhooks, run synchronously inside the store gate on every change (so a write's consequences are
/// visible when its API call returns): the Deployment controller, the service account token controller, istiod's life cycle (CA,
/// certificates, readiness), Istio's sidecar injection webhook and the cloud's load-balancer controller. Changes made by a controller are queued and handled in turn.
/// </summary>
internal sealed class ClusterControllers : IStoreObserver
{
    private readonly Queue<(ResourceType Type, JsonObject? Old, JsonObject? Next)> _queue = new();
    private readonly DeploymentController _deployments;
    private readonly TokenController _tokens;
    private readonly IstiodController _istiod;
    private readonly InjectionWebhook _injection;
    private readonly LoadBalancerController _loadBalancers;
    private bool _draining;

    public ClusterControllers(SimulatedCluster cluster)
    {
        _deployments = new DeploymentController(cluster);
        _tokens = new TokenController(cluster);
        _istiod = new IstiodController(cluster);
        _injection = new InjectionWebhook(cluster);
        _loadBalancers = new LoadBalancerController(cluster);
    }

    public IstiodController Istiod => _istiod;

    public void BeforePut(ResourceType type, JsonObject? old, JsonObject next)
    {
        switch (type.Kind)
        {
            case "Pod":
                _injection.Admit(old, next);
                _istiod.AdmitPod(old, next);
                _deployments.AdmitPod(next);
                break;
            case "Secret":
                _tokens.Admit(old, next);
                break;
            case "ServiceAccount":
                _tokens.AdmitServiceAccount(old, next);
                break;
            case "Service":
                _loadBalancers.Admit(old, next);
                break;
        }
    }

    public void Changed(ResourceType type, JsonObject? old, JsonObject? next)
    {
        _queue.Enqueue((type, old, next));
        if (_draining)
        {
            return;
        }

        _draining = true;
        try
        {
            while (_queue.TryDequeue(out var change))
            {
                Dispatch(change.Type, change.Old, change.Next);
            }
        }
        finally
        {
            _draining = false;
            _queue.Clear();
        }
    }

    private void Dispatch(ResourceType type, JsonObject? old, JsonObject? next)
    {
        try
        {
            switch (type.Kind)
            {
                case "Deployment":
                    _deployments.DeploymentChanged(old, next);
                    break;
                case "Pod":
                    _istiod.PodChanged(old, next);
                    _deployments.PodChanged(old, next);
                    break;
                case "Secret":
                    _tokens.SecretChanged(old, next);
                    _istiod.SecretChanged(old, next);
                    break;
                case "ServiceAccount":
                    _tokens.ServiceAccountChanged(old, next);
                    break;
            }
        }
        catch (ApiException)
        {
            // A controller's own write was refused (its namespace is going away, a webhook said no): like a real controller it
            // leaves the object as it is and acts again on the next change.
        }
    }
}
