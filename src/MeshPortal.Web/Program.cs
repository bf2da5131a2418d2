using MeshPortal.Web.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddMeshPortal();

    var app = builder.Build();
    await app.InitializeMeshPortalAsync();
    app.MapMeshPortal();
    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException refused)
{
    // One clear sentence for the operator instead of a stack trace.
    await Console.Error.WriteLineAsync("MeshPortal cannot start: " + refused.Message);
    return 1;
}
