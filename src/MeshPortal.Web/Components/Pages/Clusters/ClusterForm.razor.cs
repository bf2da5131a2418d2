using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Clusters;

public sealed partial class ClusterForm
{
    private const long MaxUploadBytes = 1024 * 1024;

    private string? name;
    private string? kubeconfig;
    private string? context;
    private string? network;
    private string? peerApiServer;
    private string? region;
    private List<string> contexts = [];
    private Dictionary<string, string[]> errors = [];
    private ConnectionCheckReport? report;
    private string? generalError;
    private string? loadError;
    private bool busy;
    private string busyText = "";

    [Parameter] public string? EditName { get; set; }

    [Inject] public required ClusterService Clusters { get; init; }

    [Inject] public required ClusterQueries ClusterViews { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private bool IsEdit => EditName is not null;

    private bool CanCheck => !string.IsNullOrWhiteSpace(kubeconfig) && !string.IsNullOrEmpty(context);

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Clusters", PortalUrls.Clusters()),
        .. IsEdit ? new List<BreadcrumbItem> { new(EditName!, PortalUrls.Cluster(EditName!)), new("Edit", null, disabled: true) } : [new("Register", null, disabled: true)],
    ];

    protected override async Task OnParametersSetAsync()
    {
        if (!IsEdit)
        {
            return;
        }

        var cluster = await ClusterViews.GetAsync(EditName!, 0, CancellationToken.None);
        if (cluster is null)
        {
            loadError = $"No cluster named '{EditName}' is registered.";
            return;
        }

        name = cluster.Name;
        network = cluster.Network;
        peerApiServer = cluster.PeerApiServer;
        region = cluster.Region;
    }

    private bool HasError(string field) => errors.ContainsKey(field);

    private string? ErrorOf(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    private void OnKubeconfigChanged(string? value)
    {
        kubeconfig = value;
        report = null;
        errors.Remove("kubeconfig");
        errors.Remove("context");
        if (string.IsNullOrWhiteSpace(value))
        {
            contexts = [];
            context = null;
            return;
        }

        var inspection = Clusters.Inspect(value);
        contexts = [.. inspection.Contexts];
        if (!inspection.IsValid)
        {
            errors["kubeconfig"] = [.. inspection.Errors];
        }

        context = contexts.Contains(context ?? "") ? context : inspection.CurrentContext is { } cur && contexts.Contains(cur) ? cur : contexts.FirstOrDefault();
    }

    private void OnContextChanged(string? value)
    {
        context = value;
        report = null;
    }

    private async Task UploadAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        if (file.Size > MaxUploadBytes)
        {
            errors["kubeconfig"] = [$"The file is {file.Size / 1024} KiB; a kubeconfig may be at most 1 MiB."];
            return;
        }

        using var reader = new StreamReader(file.OpenReadStream(MaxUploadBytes));
        OnKubeconfigChanged(await reader.ReadToEndAsync());
    }

    private async Task CheckAsync()
    {
        await RunBusyAsync("Checking the connection…", async () =>
        {
            report = await Clusters.CheckDraftAsync(kubeconfig!, context, CancellationToken.None);
        });
    }

    private async Task SaveAsync()
    {
        var user = (await AuthState).User;
        await RunBusyAsync(report is null ? "Checking the connection and saving…" : "Saving…", async () =>
        {
            var result = IsEdit
                ? await Clusters.UpdateAsync(EditName!, new ClusterUpdate(kubeconfig, context, network, region, peerApiServer), Client.For(user), report, CancellationToken.None)
                : await Clusters.RegisterAsync(new ClusterDraft(name?.Trim() ?? "", kubeconfig ?? "", context, network, region, peerApiServer), Client.For(user), report, CancellationToken.None);
            if (!result.Succeeded)
            {
                errors = result.Errors.ToDictionary(e => e.Key, e => e.Value);
                generalError = "Nothing was saved: " + string.Join(" ", result.Errors.SelectMany(e => e.Value));
                return;
            }

            Snackbar.Add(IsEdit ? $"Cluster {result.Cluster!.Name} saved." : $"Cluster {result.Cluster!.Name} registered.", Severity.Success);
            Navigation.NavigateTo(PortalUrls.Cluster(result.Cluster.Name));
        });
    }

    private async Task RunBusyAsync(string text, Func<Task> work)
    {
        busy = true;
        busyText = text;
        generalError = null;
        StateHasChanged();
        try
        {
            await work();
        }
        finally
        {
            busy = false;
        }
    }
}
