using Microsoft.JSInterop;

namespace Portal.Components.Common;

/// <summary>
/// What only the browser knows or can do, for one circuit: the reader's time zone (asked once), the clipboard, the
/// document's title, and marking the page as live. Before the circuit is live (prerendering) nothing here is called; times render in UTC until then.
/// </summary>
public sealed class BrowserInterop(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private Task<TimeZoneInfo>? _timeZone;

    /// <summary>The reader's time zone, or UTC when the browser names one this server does not know.</summary>
    public Task<TimeZoneInfo> GetTimeZoneAsync() => _timeZone ??= ReadTimeZoneAsync();

    public async Task<bool> CopyAsync(string text) => await (await ModuleAsync()).InvokeAsync<bool>("copyText", text);

    /// <summary>
    /// Sets <c>data-circuit="connected"</c> on the page's <c>&lt;html&gt;</c> element: a sign, with no element of its
    /// own, that the page is interactive. Browser tests wait for it before clicking (prerendered buttons do nothing).
    /// </summary>
    public async Task MarkCircuitConnectedAsync() => await (await ModuleAsync()).InvokeVoidAsync("markCircuitConnected");

    /// <summary>Sets the document's title: on a static page, an interactive island has no live <c>&lt;PageTitle&gt;</c>.</summary>
    public async Task SetTitleAsync(string title) => await (await ModuleAsync()).InvokeVoidAsync("setTitle", title);

    private async Task<TimeZoneInfo> ReadTimeZoneAsync()
    {
        var id = await (await ModuleAsync()).InvokeAsync<string?>("timeZone");
        return id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private async ValueTask<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/browser.js");

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}
