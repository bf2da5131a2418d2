using MeshPortal.Core.Features.Exports;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ExportMoveCard
{
    [Parameter, EditorRequired] public int ExportId { get; set; }

    [Inject] public required ExportQueries Queries { get; init; }
    [Inject] public required MeshPortal.Core.Features.ExportMoves.ExportMoveCommands MoveCommands { get; init; }
    [Inject] public required MeshPortal.Web.Auth.CircuitClient Client { get; init; }
    [CascadingParameter] public required Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> AuthState { get; init; }

    private ExportView? export;
    private ExportMoveViewModel? model;
    private string? error;
    private bool busy;

    protected override async Task ReloadAsync()
    {
        export = await Queries.GetAsync(ExportId, CancellationToken.None);
        model = export is null ? null : ExportMoveViewModel.From(export);
    }

    private Task StartAsync() => RunAsync(actor => MoveCommands.StartAsync(actor, ExportId, CancellationToken.None));

    private Task StopAsync() => RunAsync(actor => MoveCommands.CancelAsync(actor, ExportId, CancellationToken.None));

    private async Task RunAsync(Func<MeshPortal.Core.Platform.Commands.Actor, Task<ExportSaveResult>> action)
    {
        busy = true;
        error = null;
        try
        {
            var result = await action(MeshPortal.Web.Auth.Actors.ActorOf(Client, (await AuthState).User));
            error = result.Succeeded ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value));
            await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
