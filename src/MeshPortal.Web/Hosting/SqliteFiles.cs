namespace MeshPortal.Web.Hosting;

/// <summary>
/// The SQLite databases and the key ring are readable by the portal's user only (issue 17, finding 8): each database file
/// is created 0600 before SQLite first opens it (SQLite gives its -wal, -shm and -journal files the database file's mode),
/// an existing one is narrowed to 0600, and the key ring directory is 0700. Nothing to do on Windows.
/// </summary>
internal static class SqliteFiles
{
    public static readonly string[] Databases = ["meshportal.db", "hangfire.db"];

    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerDirectory = OwnerFile | UnixFileMode.UserExecute;

    /// <exception cref="StartupRefusedException">A database path is a directory, or a file cannot be created.</exception>
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
                if (!File.Exists(path))
                {
                    // An empty file is an empty SQLite database; created with the mode SQLite then copies to -wal and -shm.
                    using var created = new FileStream(path, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile,
                    });
                }

                foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists))
                {
                    File.SetUnixFileMode(file, OwnerFile);
                }
            }
            catch (IOException ex)
            {
                throw new StartupRefusedException($"The database file {path} cannot be created or opened ({ex.Message.TrimEnd('.')}); check the data directory's file system.");
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
