using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Exports;

/// <summary>
/// The Exports list, one page at a time: filters and the page number live in the URL (?q=, ?cluster=, ?namespace=, ?state=, ?page=), the server
/// filters and cuts the list and computes sync state and probe health for the page's exports only; cluster and probe events reload that page.
/// </summary>
public partial class ExportList
{
    private const string AnyState = "any";
    private static readonly string[] States = [.. Enum.GetNames<ObjectSyncState>()];

    [Inject] public required ExportQueries Queries { get; init; }
    [Inject] public required TopologyQueries Probes { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportCommands ExportCommands { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportPermissions Permissions { get; init; }
    [Inject] public required TeamService TeamCommands { get; init; }

    [Inject] public required ExportOwnerService Owners { get; init; }
    [Inject] public required IAuthorizationService Authorization { get; init; }
    [Inject] public required MeshPortal.Core.Features.Probes.RequestProbeCommand ProbeCommand { get; init; }
    [Inject] public required NavigationManager Nav { get; init; }
    [Inject] public required CircuitClient Client { get; init; }
    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    /// <summary>?state=Failed|Pending|Synced|Unsupported: exports with at least one consumer in that state (the Overview links here).</summary>
    [SupplyParameterFromQuery(Name = "state")] public string? StateFilter { get; set; }

    /// <summary>?q=: text in the host or service.</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "cluster")] public string? ClusterFilter { get; set; }

    [SupplyParameterFromQuery(Name = "namespace")] public string? NamespaceFilter { get; set; }

    [SupplyParameterFromQuery(Name = "page")] public int? PageNumber { get; set; }

    private ExportWindowPage? page;
    private List<ExportRowViewModel> rows = [];
    private Dictionary<int, ExportView> views = [];
    private IReadOnlyDictionary<int, ExportLinkHealth> healthById = new Dictionary<int, ExportLinkHealth>();
    private HashSet<int> writable = [];
    private IReadOnlyList<TeamView> teams = [];
    private string? search;
    private string? loadedKey;

    private ObjectSyncState? State => Enum.TryParse<ObjectSyncState>(StateFilter, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;

    private bool Filtered => !string.IsNullOrWhiteSpace(Search) || !string.IsNullOrWhiteSpace(ClusterFilter) || !string.IsNullOrWhiteSpace(NamespaceFilter)
        || !string.IsNullOrWhiteSpace(StateFilter);

    private string Key => $"{Search}\n{ClusterFilter}\n{NamespaceFilter}\n{StateFilter}\n{PageNumber}";

    /// <summary>What the filters select, in words ("Exports from cluster-2 whose host or service contains 'svc-1', with a consumer in state Failed.").</summary>
    private string FilterText
    {
        get
        {
            var parts = new List<string>();
            if (!string.IsNullOrWhiteSpace(ClusterFilter)) { parts.Add($"from cluster {ClusterFilter.Trim()}"); }
            if (!string.IsNullOrWhiteSpace(NamespaceFilter)) { parts.Add($"in namespace {NamespaceFilter.Trim()}"); }
            if (!string.IsNullOrWhiteSpace(Search)) { parts.Add($"whose host or service contains “{Search.Trim()}”"); }
            if (!string.IsNullOrWhiteSpace(StateFilter))
            {
                parts.Add(State is { } s ? $"with a consumer in state {s}" : $"with a consumer in state “{StateFilter.Trim()}”, which is not a sync state (use {string.Join(", ", States)})");
            }

            return parts.Count == 0 ? "" : $"Exports {string.Join(", ", parts)}.";
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        search = Search;
        if (loadedKey is not null && loadedKey != Key)
        {
            await ReloadAsync();
        }
    }

    protected override async Task ReloadAsync()
    {
        loadedKey = Key;
        var user = (await AuthState).User;
        var actor = Client.ActorOf(user);
        var unknownState = !string.IsNullOrWhiteSpace(StateFilter) && State is null;
        var result = await Queries.WindowAsync(
            new ExportWindowQuery(PageNumber, PageWindow.DefaultSize, ClusterFilter?.Trim(), NamespaceFilter?.Trim(), Search?.Trim(), State),
            await Permissions.VisibilityAsync(actor, CancellationToken.None), CancellationToken.None);
        if (unknownState)
        {
            // A state that does not exist matches nothing (and says so) rather than silently showing everything.
            result = result with { Items = [], Window = PageWindow.Of(1, PageWindow.DefaultSize, 0) };
        }

        writable = [.. await Permissions.WritableAsync(actor, result.Items, CancellationToken.None)];

        teams = (await Authorization.AuthorizeAsync(user, Policies.ExportsAssign)).Succeeded ? await TeamCommands.ListAsync(CancellationToken.None) : [];
        healthById = await Probes.ExportHealthAsync([.. result.Items.Select(v => v.Id)], CancellationToken.None);
        var now = Clock.GetUtcNow();
        views = result.Items.ToDictionary(v => v.Id);
        rows = [.. result.Items.Select(v => ExportRowViewModel.From(v, now))];
        page = result;
    }

    private string PageHref(int number) => Nav.GetUriWithQueryParameter("page", number == 1 ? null : number);

    private void SearchAsync(string? value)
    {
        search = value;
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["q"] = string.IsNullOrWhiteSpace(value) ? null : value.Trim(), ["page"] = null }));
    }

    private void StateAsync(string? value) =>
        Nav.NavigateTo(Nav.GetUriWithQueryParameters(new Dictionary<string, object?> { ["state"] = value is null or AnyState ? null : value, ["page"] = null }));

    private async Task ReloadAndRenderAsync() => await ReloadAsync();

    private async Task ProbeNow(int id, string host)
    {
        var result = await ProbeCommand.ExportAsync(Client.ActorOf((await AuthState).User), id, CancellationToken.None);
        Snackbar.Add(result.Succeeded ? $"Probing {host} from its consumers; the Reachability and Topology pages update as results arrive." : result.Error ?? $"{host} was not probed.",
            result.Succeeded ? Severity.Info : Severity.Error);
    }

    private async Task UnexportAsync(int id)
    {
        if (!views.TryGetValue(id, out var export))
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync("Unexport", ExportRowViewModel.UnexportQuestion(export), yesText: "Unexport", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        var result = await ExportCommands.DeleteAsync(Client.ActorOf((await AuthState).User), id, CancellationToken.None);
        if (result.Succeeded)
        {
            Snackbar.Add($"{export.Host} unexported; the consumers are being updated.", Severity.Success);
        }
        else
        {
            Snackbar.Add(string.Join(" ", result.Errors.SelectMany(e => e.Value)), Severity.Error);
        }

        await ReloadAsync();
    }

    private async Task MoveAsync(int id, int? teamId)
    {
        var user = (await AuthState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.ExportsAssign)).Succeeded)
        {
            Snackbar.Add("Only platform admins move exports between teams.", Severity.Error);
            return;
        }

        var result = await Owners.MoveExportAsync(id, teamId, Client.For(user), CancellationToken.None);
        Snackbar.Add(result.Succeeded ? $"Export moved to {(result.Team?.Name ?? "no team")}." : string.Join(" ", result.Errors.SelectMany(e => e.Value)),
            result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }
}
