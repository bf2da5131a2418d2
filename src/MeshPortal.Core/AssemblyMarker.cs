namespace MeshPortal.Core; internal static class AssemblyMarker { }
