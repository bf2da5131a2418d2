using MeshPortal.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMeshPortal();

var app = builder.Build();
await app.InitializeMeshPortalAsync();
app.MapMeshPortal();
await app.RunAsync();
