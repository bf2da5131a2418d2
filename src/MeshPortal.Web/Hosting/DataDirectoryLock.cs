namespace MeshPortal.Web.Hosting;

/// <summary>A start-up refusal meant for the operator: Program prints its one-sentence message (no stack trace) and exits with 1.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);

/// <summary>
/// One writer per SQLite data directory: an exclusive OS lock on <c>&lt;data&gt;/meshportal.lock</c>, held for the process's
/// lifetime (flock on Linux and macOS, a share-mode lock on Windows), so a second portal on the same directory refuses to
/// start instead of running the recurring jobs and pushing the same clusters a second time. The OS releases the lock when
/// the process ends, also after kill -9, so a stale file never blocks a restart.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "meshportal.lock";
    private readonly FileStream stream;

    private DataDirectoryLock(FileStream stream) => this.stream = stream;

    /// <exception cref="StartupRefusedException">Another process holds the directory.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
            stream.Write(pid);
            stream.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException)
        {
            throw new StartupRefusedException(
                $"Another MeshPortal process is already using the data directory {dataDirectory} (it holds {path}); " +
                "SQLite allows one portal per data directory, so stop the other one, give this one its own MeshPortal__DataDirectory, or use PostgreSQL for several replicas.");
        }
    }

    public void Dispose() => stream.Dispose();
}
