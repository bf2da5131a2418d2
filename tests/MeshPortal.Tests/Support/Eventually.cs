namespace MeshPortal.Tests.Support;

/// <summary>Waits for a condition by polling it (never a fixed sleep), failing with a message after a time limit.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T value = await probe();
        while (!condition(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
            value = await probe();
        }

        return value;
    }
}
