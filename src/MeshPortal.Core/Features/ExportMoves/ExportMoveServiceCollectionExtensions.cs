using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features.ExportMoves;

/// <summary>
/// Moving an export from the <c>.global</c> model to multi-primary. Its own feature because it sits above both exports
/// (what moves) and probes (the evidence that the new name answers before the old objects go).
/// </summary>
public static class ExportMoveServiceCollectionExtensions
{
    public static IServiceCollection AddExportMoves(this IServiceCollection services)
    {
        services.AddScoped<ExportMoveService>();
        services.AddScoped<ExportMoveCommands>();
        services.AddHostedService<ExportMoveWatcher>();
        return services;
    }
}
