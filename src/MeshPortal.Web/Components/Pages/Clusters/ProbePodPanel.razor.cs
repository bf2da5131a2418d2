using MeshPortal.Core.Features.Probes;
using Microsoft.Extensions.Options;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Clusters;

public sealed partial class ProbePodPanel
{
    [Inject] public required ProbePodSettings Settings { get; init; }
    [Inject] public required MeshPortal.Core.Features.Probes.SetProbePodCommand SetProbePod { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required Microsoft.Extensions.Options.IOptions<ProbeOptions> ProbeSettings { get; init; }

    [Parameter, EditorRequired] public required string ClusterName { get; set; }

    private ProbePodView? view;
    private ProbePodChoice defaults = new("foo", "app=sleep", null, false);
    private bool ownPod;
    private string? ns;
    private string? selector;
    private bool saving;
    private IReadOnlyDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    protected override async Task OnParametersSetAsync()
    {
        if (view?.Cluster == ClusterName)
        {
            return;
        }

        view = await Settings.GetAsync(ClusterName, CancellationToken.None);
        if (view is not null)
        {
            ownPod = view.OwnPod;
            ns = view.Namespace;
            selector = view.LabelSelector;
            defaults = Settings.Defaults(ClusterName);
        }
    }

    private string? Error(string key) => errors.TryGetValue(key, out var e) ? string.Join(" ", e) : null;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private async Task SaveAsync()
    {
        saving = true;
        try
        {
            var result = await SetProbePod.RunAsync(Client.ActorOf((await AuthState).User), ClusterName, new ProbePodRequest(ns, selector, ownPod), CancellationToken.None);
            errors = result.Errors;
            if (result.Value is { } saved)
            {
                view = saved;
                Snackbar.Add(saved.OwnPod ? $"{ClusterName} will probe from MeshPortal's own pod; it is being deployed." : $"{ClusterName} probes from {saved.Effective.LabelSelector} in {saved.Effective.Namespace}.", Severity.Success);
            }
            else if (result.Status != MeshPortal.Core.Platform.Commands.CommandStatus.Invalid)
            {
                Snackbar.Add(result.Error ?? "The probe pod was not changed.", Severity.Error);
            }
        }
        finally
        {
            saving = false;
        }
    }
}
