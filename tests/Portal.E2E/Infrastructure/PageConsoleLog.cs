
namespace Portal.E2E.Infrastructure;

/// <summary>What the page said while a test ran: console errors and warnings, uncaught exceptions, failed responses.</summary>
public sealed class PageConsoleLog
{
    private readonly List<string> _entries = [];
    private readonly Lock _gate = new();

    public PageConsoleLog(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Add($"console.{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"uncaught: {error}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
        page.RequestFailed += (_, request) => Add($"request failed ({request.Failure}): {request.Method} {request.Url}");
    }

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    private void Add(string entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }
}
