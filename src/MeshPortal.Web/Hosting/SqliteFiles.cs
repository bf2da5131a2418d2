namespace MeshPortal.Web.Hosting;

/// <summary>
/// The SQLite databases and the key ring are readable by the portal's user only (issue 17, finding 8): the database files
/// and their -wal/-shm/-journal companions are narrowed to 0600 (SQLite gives companions it creates later the database
/// file's mode) and the key ring directory is 0700. Called before the databases are opened (existing installations) and
/// again once they exist (a fresh one). The files are not created here: EF creates a new database in WAL mode only when
/// it creates the file itself. Nothing to do on Windows.
/// </summary>
internal static class SqliteFiles
{
    public static readonly string[] Databases = ["meshportal.db", "hangfire.db"];

    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;

    /// <exception cref="StartupRefusedException">A database path is a directory, or a file's mode cannot be changed.</exception>
    public static void RestrictToOwner(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var name in Databases)
        {
            var path = Path.Combine(dataDirectory, name);
            if (Directory.Exists(path))
            {
                throw new StartupRefusedException($"{path} is a directory, not a database file; move it away or point MeshPortal__DataDirectory elsewhere.");
            }

            try
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists))
                {
                    File.SetUnixFileMode(file, OwnerFile);
                }
            }
            catch (IOException ex)
            {
                throw new StartupRefusedException($"The database file {path} cannot be changed ({ex.Message.TrimEnd('.')}); check the data directory's file system.");
            }
            catch (UnauthorizedAccessException)
            {
                // Owned by another user (a volume from an older root image): left as it is; SQLite then says whether it can be opened.
            }
        }

        var keys = Path.Combine(dataDirectory, "keys");
        try
        {
            Directory.CreateDirectory(keys, OwnerDirectory);
            File.SetUnixFileMode(keys, OwnerDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Data Protection reports a key ring it cannot write on its own.
        }
    }
}
