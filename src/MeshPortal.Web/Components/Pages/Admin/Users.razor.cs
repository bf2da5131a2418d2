using MeshPortal.Core.Features.Users;
using MeshPortal.Web.Auth;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages.Admin;

public partial class Users
{
    [Inject] public required CircuitClient Client { get; init; }
    [Inject] public required UserAdministration Accounts { get; init; }
    [Inject] public required MeshPortal.Core.Features.Teams.TeamService TeamDirectory { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    [CascadingParameter] public required Task<AuthenticationState> AuthState { get; init; }

    private IReadOnlyList<UserView> users = [];
    private IReadOnlyList<MeshPortal.Core.Features.Teams.TeamView> teams = [];
    private Dictionary<string, string[]> errors = [];
    private string? newName;
    private string? newPassword;
    private string newRole = Roles.TeamMember;
    private IReadOnlyCollection<string> newTeams = [];
    private UserView? resetFor;
    private string? resetPassword;
    private readonly Dictionary<string, IReadOnlyCollection<string>> pendingTeams = [];
    private int resetKey; // bumped after a Cancel: fresh selects show the stored values (the old ones already show the pick)

    private string? myId;

    protected override async Task OnInitializedAsync()
    {
        myId = (await WhoAsync()).UserId;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        users = await Accounts.ListAsync(CancellationToken.None);
        teams = await TeamDirectory.ListAsync(CancellationToken.None);
    }

    private async Task<MeshPortal.Core.Platform.Audit.AuditContext> WhoAsync() => Client.For((await AuthState).User);

    private string? Err(string field) => errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    private async Task CreateAsync()
    {
        var result = await Accounts.CreateAsync(newName, newPassword, newRole, [.. newTeams], await WhoAsync(), CancellationToken.None);
        errors = result.Succeeded ? [] : result.Errors.ToDictionary(e => e.Key, e => e.Value);
        if (result.Succeeded)
        {
            Snackbar.Add($"User {result.User!.UserName} created.", Severity.Success);
            (newName, newPassword, newTeams) = (null, null, []);
            await ReloadAsync();
        }
    }

    private async Task Apply(Task<UserResult> action, string success)
    {
        var result = await action;
        Snackbar.Add(result.Succeeded ? success : result.Message, result.Succeeded ? Severity.Success : Severity.Error);
        await ReloadAsync();
    }

    // Inline role and team changes change what a user may do across the mesh: ask first; Cancel leaves the stored value and the select as they were.
    private async Task SetRoleAsync(UserView user, string? role)
    {
        var question = UserChangeQuestion.ForRole(user.UserName, user.Role, role);
        if (question is null || !await ConfirmAsync(question))
        {
            return;
        }

        await Apply(Accounts.SetRoleAsync(user.Id, role, await WhoAsync(), CancellationToken.None), $"{user.UserName} is now a {Roles.Display(role!).ToLowerInvariant()}.");
    }

    private async Task TeamsOpenChangedAsync(UserView user, bool open)
    {
        if (open || !pendingTeams.TryGetValue(user.Id, out var picked))
        {
            return;
        }

        // The select keeps showing the picks while the question is open; either answer ends the pending change.
        var question = UserChangeQuestion.ForTeams(user.UserName, user.Teams, picked);
        var confirmed = question is not null && await ConfirmAsync(question);
        pendingTeams.Remove(user.Id);
        if (confirmed)
        {
            await Apply(Accounts.SetTeamsAsync(user.Id, [.. picked], await WhoAsync(), CancellationToken.None), $"Teams of {user.UserName} saved.");
        }
    }

    private async Task<bool> ConfirmAsync(UserChangeQuestion question)
    {
        if (await Dialogs.ShowMessageBoxAsync(question.Title, question.Body, yesText: question.Yes, cancelText: "Cancel") == true)
        {
            return true;
        }

        resetKey++;
        return false;
    }

    private async Task LockAsync(UserView user, bool locked)
    {
        if (locked && !await ConfirmAsync(UserChangeQuestion.ForLock(user.UserName)))
        {
            return;
        }

        await Apply(locked ? Accounts.LockAsync(user.Id, await WhoAsync(), CancellationToken.None) : Accounts.UnlockAsync(user.Id, await WhoAsync(), CancellationToken.None),
            $"{user.UserName} {(locked ? "locked" : "unlocked")}.");
    }

    private void StartReset(UserView user) => (resetFor, resetPassword, errors) = (user, null, []);

    private async Task ResetAsync()
    {
        var result = await Accounts.ResetPasswordAsync(resetFor!.Id, resetPassword, await WhoAsync(), CancellationToken.None);
        if (!result.Succeeded)
        {
            errors = new() { ["reset"] = [result.Message] };
            return;
        }

        Snackbar.Add($"New password set for {resetFor.UserName}.", Severity.Success);
        (resetFor, resetPassword, errors) = (null, null, []);
        await ReloadAsync();
    }
}
