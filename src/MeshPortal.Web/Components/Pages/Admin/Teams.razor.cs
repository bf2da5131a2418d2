using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Users;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Admin;

public partial class Teams
{
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required TeamService TeamCommands { get; init; }
    [Inject] public required UserAdministration Accounts { get; init; }
    [Inject] public required ClusterQueries ClusterDirectory { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private IReadOnlyList<TeamView> teams = [];
    private IReadOnlyList<UserView> users = [];
    private List<string> clusters = [];
    private string? newName;
    private string? newDescription;
    private string? nameError;
    private readonly Dictionary<int, string?> grantCluster = [];
    private readonly Dictionary<int, string?> grantNamespace = [];
    private Dictionary<int, string> grantErrors = [];

    protected override async Task OnInitializedAsync() => await ReloadAsync();

    private async Task ReloadAsync()
    {
        teams = await TeamCommands.ListAsync(CancellationToken.None);
        users = await Accounts.ListAsync(CancellationToken.None);
        clusters = [.. (await ClusterDirectory.ListAsync(CancellationToken.None)).Select(c => c.Name)];
    }

    private string GrantCluster(int team) => grantCluster.GetValueOrDefault(team) ?? TeamGrant.AnyCluster;

    private async Task<MeshPortal.Core.Platform.Audit.AuditContext> WhoAsync() => Client.For((await AuthState).User);

    private async Task CreateAsync()
    {
        var result = await TeamCommands.CreateAsync(newName, newDescription, await WhoAsync(), CancellationToken.None);
        nameError = result.Succeeded ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value));
        if (result.Succeeded)
        {
            Snackbar.Add($"Team {result.Team!.Name} created.", Severity.Success);
            (newName, newDescription) = (null, null);
            await ReloadAsync();
        }
    }

    private async Task Report(TeamResult result, string success)
    {
        Snackbar.Add(result.Succeeded ? success : string.Join(" ", result.Errors.SelectMany(e => e.Value)), result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    private async Task DeleteAsync(TeamView team)
    {
        if (await Dialogs.ShowMessageBoxAsync($"Delete team {team.Name}?",
                "Its members lose the namespaces this team grants them. This cannot be undone.", yesText: "Delete team", cancelText: "Cancel") != true)
        {
            return;
        }

        await Report(await TeamCommands.DeleteAsync(team.Id, await WhoAsync(), CancellationToken.None), $"Team {team.Name} deleted.");
    }

    private async Task SetMembersAsync(TeamView team, IReadOnlyCollection<string>? names) =>
        await Report(await TeamCommands.SetMembersAsync(team.Id, [.. names ?? []], await WhoAsync(), CancellationToken.None), $"Members of {team.Name} saved.");

    private async Task AddGrantAsync(TeamView team)
    {
        var result = await TeamCommands.AddGrantAsync(team.Id, GrantCluster(team.Id), grantNamespace.GetValueOrDefault(team.Id), await WhoAsync(), CancellationToken.None);
        grantErrors = result.Succeeded ? [] : new() { [team.Id] = string.Join(" ", result.Errors.SelectMany(e => e.Value)) };
        if (result.Succeeded)
        {
            grantNamespace[team.Id] = null;
            await Report(result, $"{team.Name} granted the namespace.");
        }
    }

    private async Task RemoveGrantAsync(TeamView team, TeamGrantView grant) =>
        await Report(await TeamCommands.RemoveGrantAsync(team.Id, grant.Id, await WhoAsync(), CancellationToken.None), $"Grant removed from {team.Name}.");
}
