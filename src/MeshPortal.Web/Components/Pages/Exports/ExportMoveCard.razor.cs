using MeshPortal.Core.Exports;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Exports;

public partial class ExportMoveCard
{
    [Parameter, EditorRequired] public int ExportId { get; set; }

    [Inject] public required ExportQueries Queries { get; init; }
    [Inject] public required ExportMoveService Moves { get; init; }
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

    private Task StartAsync() => RunAsync((who) => Moves.StartAsync(ExportId, who, CancellationToken.None));

    private Task StopAsync() => RunAsync((who) => Moves.CancelAsync(ExportId, who, CancellationToken.None));

    private async Task RunAsync(Func<MeshPortal.Core.Audit.AuditContext, Task<ExportSaveResult>> action)
    {
        busy = true;
        error = null;
        try
        {
            var result = await action(Client.For((await AuthState).User));
            error = result.Succeeded ? null : string.Join(" ", result.Errors.SelectMany(e => e.Value));
            await ReloadAsync();
        }
        finally
        {
            busy = false;
        }
    }
}
