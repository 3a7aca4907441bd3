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
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();
}
