namespace Participatie.Drills;

/// <summary>
/// Where a drill's figures go: the test's output and a file of its own in artifacts/drills/, so that they can be read
/// after the run (the closing note of issue 13 quotes them).
/// </summary>
public static class DrillReport
{
    public static string Directory { get; } = FindDirectory();

    public static void Write(string drill, string text)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        File.WriteAllText(Path.Combine(Directory, $"{drill}.txt"), $"{DateTimeOffset.UtcNow:u}\n{text}\n");
    }

    private static string FindDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Participatie.sln")))
        {
            root = root.Parent;
        }

        var directory = Path.Combine(root?.FullName ?? AppContext.BaseDirectory, "artifacts", "drills");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }
}
