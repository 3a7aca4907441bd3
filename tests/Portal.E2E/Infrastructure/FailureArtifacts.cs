
namespace Portal.E2E.Infrastructure;

/// <summary>Saves what a failed browser test saw, so a red CI run can be understood without re-running it.</summary>
internal static class FailureArtifacts
{
    public static async Task SaveAsync(IPage page, PageConsoleLog console, string testName)
    {
        var directory = Directory.CreateDirectory(Path.Combine(FindResultsRoot(), "TestResults", "e2e"));
        var baseName = Path.Combine(directory.FullName, string.Concat(testName.Split(Path.GetInvalidFileNameChars())));
        try
        {
            await File.WriteAllLinesAsync($"{baseName}.log", [$"url: {page.Url}", .. console.Entries]);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = $"{baseName}.png", FullPage = true, Timeout = 5_000 });
        }
        catch (Exception e) when (e is PlaywrightException or IOException)
        {
            // The test's own failure is what matters; a page that cannot be photographed must not hide it.
        }
    }

    /// <summary>The repository root (where Portal.sln is) when running from a checkout, else the test output folder.</summary>
    private static string FindResultsRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
