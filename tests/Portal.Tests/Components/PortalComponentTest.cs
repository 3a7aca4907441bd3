using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Portal.Tests.Components;

/// <summary>
/// The one bUnit base for component tests: MudBlazor services and loose JS interop. MudBlazor's
/// services are async-disposable only, so xunit disposes the context through <see cref="IAsyncLifetime"/>.
/// </summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    protected PortalComponentTest()
    {
        Services.AddMudServices();
        Services.AddScoped<Portal.Components.Common.BrowserInterop>();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

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
