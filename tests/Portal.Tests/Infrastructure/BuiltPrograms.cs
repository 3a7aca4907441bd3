using System.Reflection;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The solution's build output, for tests that run the portal and the dev OpenID provider as real processes
/// (<c>dotnet Portal.dll</c>), built with the same configuration and target framework as this test assembly.
/// </summary>
internal static class BuiltPrograms
{
    public static DirectoryInfo RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>Release</c> or <c>Debug</c>: whatever this test assembly was built with.</summary>
    public static string Configuration { get; } =
        typeof(BuiltPrograms).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly does not say which configuration it was built with.");

    /// <summary><c>net10.0</c>: the name of the folder this test assembly runs from.</summary>
    public static string TargetFramework { get; } = new DirectoryInfo(AppContext.BaseDirectory).Name;

    public static string PortalDll => Program("Portal");

    public static string DevIdentityDll => Program("Dev.Identity");

    public static string PathInRepository(params string[] parts) => Path.Combine([RepositoryRoot.FullName, .. parts]);

    /// <summary>The <c>dotnet</c> host running these tests (<c>dotnet test</c> says where), else the one on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Program(string project)
    {
        var path = PathInRepository("src", project, "bin", Configuration, TargetFramework, project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing. Build the solution with the tests' configuration first (dotnet build Portal.sln -c {Configuration}).", path);
    }

    private static DirectoryInfo FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
    }
}
