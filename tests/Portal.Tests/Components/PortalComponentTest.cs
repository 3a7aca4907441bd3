using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Portal.Tests.Components;

/// <summary>
/// The one bUnit base for component tests: MudBlazor services, loose JS interop and bUnit's authorization (nobody
/// signed in until a test says otherwise through <see cref="Authorization"/>). MudBlazor's services are
/// async-disposable only, so xunit disposes the context through <see cref="IAsyncLifetime"/>.
/// </summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    protected PortalComponentTest()
    {
        Services.AddMudServices();
        Services.AddScoped<Portal.Components.Common.BrowserInterop>();
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Registered before SetRendererInfo, which starts bUnit's container (nothing can be added after that).
        Authorization = AddAuthorization();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Who is signed in for the component under test (bUnit's <c>AddAuthorization</c>).</summary>
    protected Bunit.TestDoubles.BunitAuthorizationContext Authorization { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
