namespace MeshPortal.Simulator.Mesh;

/// <summary>A hash that is the same in every process (FNV-1a), for deterministic simulated values.</summary>
internal static class StableHash
{
    public static int Of(string text)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)(hash & 0x7fffffff);
        }
    }
}
