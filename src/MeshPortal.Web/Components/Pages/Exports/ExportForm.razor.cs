using System.Security.Claims;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Exports;

/// <summary>Create or edit an export: live pickers (cached), ports, consumers, a preview of the cluster changes, save.</summary>
public sealed partial class ExportForm
{
    private List<string> clusters = [];
    private List<string> namespaces = [];
    private List<ServiceInfo> services = [];
    private List<ServicePortInfo> ports = [];
    private readonly HashSet<int> selectedPorts = [];
    private readonly HashSet<string> selectedConsumers = [];
    private string? cluster;
    private string? ns;
    private string? service;
    private bool allConsumers = true;
    private ExportView? existing;
    private IReadOnlyList<ClusterPreview>? preview;
    private string? previewConflict;
    private Dictionary<string, string[]> errors = [];
    private string? pickerError;
    private string? pickerMessage;
    private string? generalError;
    private string? loadError;
    private bool busy;
    private string busyText = "";
    private IReadOnlyList<(int Id, string Name)> teamChoices = [];
    private int? team;

    // The interactive render starts with no clusters (the list is read asynchronously after the prerender); the cluster
    // picker stays disabled until its choices are there, so it never opens as an empty list that then fills under the pointer.
    private bool clustersLoaded;
    private int? loadedId;

    [Parameter] public int? Id { get; set; }

    [Inject] public required ClusterQueries Clusters { get; init; }
    [Inject] public required ServiceCatalog Catalog { get; init; }
    [Inject] public required ExportQueries Queries { get; init; }
    [Inject] public required ExportService Exports { get; init; }
    [Inject] public required ExportCommands Commands { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required ExportPreviewService Previews { get; init; }
    [Inject] public required NavigationManager Navigation { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required ExportPermissions Permissions { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private bool IsEdit => Id is not null;

    private bool CanSave => cluster is not null && ns is not null && service is not null && selectedPorts.Count > 0 && (allConsumers || selectedConsumers.Count > 0);

    private string HostPreview => ExportNames.Host(service ?? "<name>", ns ?? "<namespace>");

    private List<BreadcrumbItem> Breadcrumbs => [new("Exports", "/exports"), new(IsEdit ? "Edit" : "New", null, disabled: true)];

    // Loads once per route: the page also receives parameters again when a cascading value (the authentication state)
    // is re-published, and reloading then would replace the pickers' choices under an open list and reset an edit.
    protected override async Task OnParametersSetAsync()
    {
        if (clustersLoaded && loadedId == Id)
        {
            return;
        }

        loadedId = Id;
        clusters = [.. (await Clusters.ListAsync(CancellationToken.None)).Select(c => c.Name)];
        clustersLoaded = true;
        if (!IsEdit)
        {
            if (clusters.Count < 2)
            {
                loadError = "Exporting needs at least two registered clusters: the one that runs the service and one that calls it. Register clusters first.";
            }

            return;
        }

        var found = await Queries.GetAsync(Id!.Value, CancellationToken.None);
        var actor = await ActorAsync();
        if (found is null || !await Permissions.MayReadAsync(actor, found, CancellationToken.None))
        {
            // Nothing of an export the user may not read reaches the page (not even its host in the heading).
            existing = null;
            loadError = $"There is no export {Id}.";
            return;
        }

        existing = found;

        if (!await Permissions.MayWriteAsync(actor, existing, CancellationToken.None))
        {
            loadError = $"You may not change {existing.Host}: it belongs to {(existing.OwnerTeam is null ? "no team of yours" : $"team {existing.OwnerTeam}")}.";
            return;
        }

        (cluster, ns, service, allConsumers) = (existing.Cluster, existing.Namespace, existing.Service, existing.AllConsumers);
        selectedConsumers.UnionWith(existing.Consumers.Select(c => c.Cluster));
        selectedPorts.UnionWith(existing.Ports.Select(p => p.Number));
        var live = await Catalog.ListServicesAsync(existing.Cluster, existing.Namespace, CancellationToken.None);
        pickerError = live.Error;
        ports = live.Items.FirstOrDefault(s => s.Name == existing.Service)?.Ports.ToList()
                ?? [.. existing.Ports.Select(p => new ServicePortInfo(p.Name, p.Number, p.Protocol, "TCP"))];
    }

    private async Task OnClusterChangedAsync(string? value)
    {
        cluster = value;
        (ns, service, namespaces, services, ports, preview, pickerError) = (null, null, [], [], [], null, null);
        selectedPorts.Clear();
        selectedConsumers.Remove(value ?? "");
        if (value is null)
        {
            return;
        }

        pickerMessage = "Reading the cluster's namespaces…";
        var result = await Catalog.ListNamespacesAsync(value, CancellationToken.None);
        namespaces = [.. await Permissions.WritableNamespacesAsync(await ActorAsync(), value, result.Items, CancellationToken.None)];
        pickerError = result.Error;
        pickerMessage = !result.Succeeded ? null
            : namespaces.Count == 0 && result.Items.Count > 0 ? "None of your teams is granted a namespace on this cluster."
            : $"{namespaces.Count} namespace(s) with services";
    }

    private async Task OnNamespaceChangedAsync(string? value)
    {
        ns = value;
        (service, services, ports, preview, teamChoices, team) = (null, [], [], null, [], null);
        selectedPorts.Clear();
        if (value is null || cluster is null)
        {
            return;
        }

        teamChoices = await Permissions.OwnerChoicesAsync(await ActorAsync(), cluster, value, CancellationToken.None);
        team = teamChoices.Count == 1 ? teamChoices[0].Id : null;

        var result = await Catalog.ListServicesAsync(cluster, value, CancellationToken.None);
        services = [.. result.Items];
        pickerError = result.Error;
    }

    private void OnServiceChanged(string? value)
    {
        service = value;
        ports = services.FirstOrDefault(s => s.Name == value)?.Ports.ToList() ?? [];
        selectedPorts.Clear();
        selectedPorts.UnionWith(ports.Select(p => p.Number));
        preview = null;
        previewConflict = null;
    }

    private void TogglePort(int number, bool on) => _ = (on ? selectedPorts.Add(number) : selectedPorts.Remove(number)) && ClearPreview();

    private void ToggleConsumer(string name, bool on) => _ = (on ? selectedConsumers.Add(name) : selectedConsumers.Remove(name)) && ClearPreview();

    private void OnScopeChanged(bool all) => _ = (allConsumers = all) is var _ && ClearPreview();

    private bool ClearPreview()
    {
        preview = null;
        previewConflict = null;
        return true;
    }

    private IReadOnlyList<string>? ConsumerList => allConsumers ? null : [.. selectedConsumers.Where(clusters.Contains).Order()];

    private async Task PreviewAsync() => await RunBusyAsync("Planning the change for every affected cluster…", async () =>
    {
        // Save refuses a host that is already exported: the preview says so rather than show a clean plan (issue 16).
        previewConflict = await Exports.ConflictAsync(Id, cluster!, ns!, service!, CancellationToken.None);
        if (previewConflict is not null)
        {
            preview = null;
            return;
        }

        var chosen = ports.Where(p => selectedPorts.Contains(p.Number)).Select(p => new ExportPortSpec(p.Name, p.Number, p.Protocol)).ToList();
        preview = await Previews.PreviewSaveAsync(new ExportDraft(Id, cluster!, ns!, service!, chosen, ConsumerList), CancellationToken.None);
    });

    private async Task SaveAsync()
    {
        var actor = await ActorAsync();
        await RunBusyAsync("Saving…", async () =>
        {
            // The ownership rule is the command's (the same as the API's): nothing is saved when it refuses.
            var numbers = selectedPorts.Order().ToList();
            var result = IsEdit
                ? await Commands.UpdateAsync(actor, Id!.Value, new ExportChange(numbers, allConsumers ? null : ConsumerList, allConsumers), CancellationToken.None)
                : await Commands.CreateAsync(actor, new NewExport(cluster, ns, service, numbers, ConsumerList, TeamId: team), CancellationToken.None);
            if (!result.Succeeded)
            {
                errors = result.Failure == ExportFailureKind.Forbidden ? [] : result.Errors.ToDictionary(e => e.Key, e => e.Value);
                generalError = "Nothing was saved: " + string.Join(" ", result.Errors.SelectMany(e => e.Value));
                return;
            }

            Snackbar.Add($"{result.Export!.Host} saved with address {result.Export.Address}; the consumers are being updated.", Severity.Success);
            Navigation.NavigateTo(PortalUrls.Exports());
        });
    }

    private async Task<Actor> ActorAsync() => Client.ActorOf((await AuthState).User);

    private bool HasError(string field) => errors.ContainsKey(field);

    private string? ErrorOf(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    private static Color ColorOf(ChangeAction action) => action switch
    {
        ChangeAction.Create => Color.Success,
        ChangeAction.Delete => Color.Error,
        _ => Color.Warning,
    };

    private static string LineStyle(string line) => line.StartsWith("+ ", StringComparison.Ordinal) ? "background:#e6ffec"
        : line.StartsWith("- ", StringComparison.Ordinal) ? "background:#ffebe9" : "";

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
