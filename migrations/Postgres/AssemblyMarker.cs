namespace MeshPortal.Migrations.Postgres; internal static class AssemblyMarker { }
