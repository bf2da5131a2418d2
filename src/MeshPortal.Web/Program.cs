using MeshPortal.Web.Hosting;

StartupTimeline.Mark("main");
try
{
    if (args is ["admin", ..])
    {
        // Maintenance commands (e.g. "admin reset-password <user>"): run against the data directory and exit.
        return await AdminCommand.RunAsync(args[1..]);
    }

    // --init: this start may create the data directory (a fresh installation); see MeshPortalServices.FreshInstallRefusal.
    var init = args.Contains("--init");
    var builder = WebApplication.CreateBuilder(LaunchDefaults.Options([.. args.Where(a => a != "--init")]));
    StartupTimeline.Mark("builder created");
    LaunchDefaults.Apply(builder);
    if (init)
    {
        builder.Configuration["MeshPortal:Init"] = "true";
    }

    builder.AddMeshPortal();
    StartupTimeline.Mark("services added");

    var app = builder.Build();
    StartupTimeline.Mark("host built");
    // Mapped first (no I/O): start-up then builds the endpoints on a second thread while it prepares the database.
    app.MapMeshPortal();
    StartupTimeline.Mark("endpoints mapped");
    await app.InitializeMeshPortalAsync();
    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException refused)
{
    // One clear sentence for the operator instead of a stack trace.
    await Console.Error.WriteLineAsync("MeshPortal cannot start: " + refused.Message);
    return 1;
}
catch (Exception invalid) when (StartupRefusal.InvalidOptions(invalid) is { } sentences)
{
    // A configuration value out of range (ValidateKeysOnStart): each failure names its key.
    await Console.Error.WriteLineAsync("MeshPortal cannot start: " + sentences);
    return 1;
}
