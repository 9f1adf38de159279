// Compiled into the AppHost and the test support project: the one place that knows which container images run
// PostgreSQL and RabbitMQ. eng/container-images.sh decides (official images where a registry answers, images
// built from Debian's packages where none does) and writes its choice to artifacts/container-images.env.
namespace Participatie.Eng;

internal sealed record ContainerImage(string Image, string Tag, bool IsLocal);

internal sealed record ContainerImages(ContainerImage Postgres, ContainerImage RabbitMq)
{
    public const string EnvironmentFile = "artifacts/container-images.env";

    public static ContainerImages Load()
    {
        var settings = ReadEnvironmentFile();
        string Get(string name, string fallback) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
            : settings.TryGetValue(name, out var fromFile) ? fromFile
            : fallback;

        var isLocal = bool.TryParse(Get("PARTICIPATIE_IMAGES_LOCAL", "false"), out var local) && local;
        return new ContainerImages(
            new ContainerImage(Get("PARTICIPATIE_POSTGRES_IMAGE", "postgres"), Get("PARTICIPATIE_POSTGRES_TAG", "17"), isLocal),
            new ContainerImage(Get("PARTICIPATIE_RABBITMQ_IMAGE", "rabbitmq"), Get("PARTICIPATIE_RABBITMQ_TAG", "4-management"), isLocal));
    }

    /// <summary>
    /// Passes the script's Docker settings (the engine's API version, no reaper without a registry) on to
    /// Testcontainers, unless the environment already sets them. Call before the first container is built.
    /// </summary>
    public static void ApplyDockerEnvironment()
    {
        foreach (var (name, value) in ReadEnvironmentFile())
        {
            if (name is "DOCKER_API_VERSION" or "TESTCONTAINERS_RYUK_DISABLED"
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>Finds artifacts/container-images.env above the running program, if the script wrote one.</summary>
    private static Dictionary<string, string> ReadEnvironmentFile()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, EnvironmentFile);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadAllLines(path))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0 && !line.StartsWith('#'))
                {
                    settings[line[..separator].Trim()] = line[(separator + 1)..].Trim().Trim('"');
                }
            }

            break;
        }

        return settings;
    }
}
