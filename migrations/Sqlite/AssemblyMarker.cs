namespace MeshPortal.Migrations; internal static class AssemblyMarker { }
