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
        // Registered in the constructor; the container starts when InitializeAsync sets the renderer up.
        Authorization = AddAuthorization();
    }

    /// <summary>Who is signed in for the component under test (bUnit's <c>AddAuthorization</c>).</summary>
    protected Bunit.TestDoubles.BunitAuthorizationContext Authorization { get; }

    /// <summary>
    /// Sets the renderer up (interactive Server), which fixes the services: a derived test adds its own services
    /// first, then calls this.
    /// </summary>
    public virtual Task InitializeAsync()
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeTestAsync();

    /// <summary>Disposes the bUnit context; a derived test disposes what it started first, then calls this.</summary>
    protected virtual Task DisposeTestAsync() => base.DisposeAsync().AsTask();
}
