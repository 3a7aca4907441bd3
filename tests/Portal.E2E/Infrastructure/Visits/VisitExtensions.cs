namespace Portal.E2E.Infrastructure.Visits;

public static class VisitExtensions
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// One full visit of <paramref name="path"/> (a page load: prerendering, then the circuit), recorded from the
    /// request until the circuit is live, <paramref name="shown"/> holds (the page shows what it read) and the portal
    /// has done nothing more for the visit for half a second.
    /// </summary>
    public static async Task<RecordedVisit> RecordVisitAsync(this IPage page, PortalServer server, string path, Func<IPage, Task> shown)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(shown);

        var recorder = server.Visits;
        var visit = recorder.Start();
        try
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = VisitRecorder.CookieName, Value = visit, Url = server.BaseUrl }]);
            await page.GotoAsync(path);
            await page.WaitForCircuitAsync();
            await shown(page);
            await recorder.SettledAsync(Quiet, BrowserFixture.DefaultTimeout);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new InvalidOperationException($"The visit of {path} did not show its data: {e.Message}\n{recorder.Stop(path).Describe()}", e);
        }

        return recorder.Stop(path);
    }
}
