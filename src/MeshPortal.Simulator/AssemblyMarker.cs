namespace MeshPortal.Simulator; internal static class AssemblyMarker { }
