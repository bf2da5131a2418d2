namespace MeshPortal.Core.AssemblyMarker.cs; internal static class AssemblyMarker { }
