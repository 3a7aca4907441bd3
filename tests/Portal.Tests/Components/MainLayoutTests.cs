using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Components.Layout;
using Portal.Core.Gate;

namespace Portal.Tests.Components;

public sealed class MainLayoutTests : PortalComponentTest
{
    private BunitJSModuleInterop _browserModule = null!;

    public override Task InitializeAsync()
    {
        Services.AddSingleton(Options.Create(new GateOptions { SecretKey = "sk_test_layout" }));
        _browserModule = JSInterop.SetupModule("./js/browser.js");
        return base.InitializeAsync();
    }

    [Fact]
    public void The_first_interactive_render_marks_the_html_element_once_and_adds_no_element_of_its_own()
    {
        var cut = RenderLayout("<h1>Home</h1>");

        _browserModule.VerifyInvoke("markCircuitConnected", calledTimes: 1);
        cut.FindAll("[data-circuit]").ShouldBeEmpty();

        // Navigating inside the circuit re-renders the layout with another body; the page is already marked.
        cut.Render(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>Support</h1>"))));

        cut.Find("h1").TextContent.ShouldBe("Support");
        _browserModule.VerifyInvoke("markCircuitConnected", calledTimes: 1);
    }

    private IRenderedComponent<MainLayout> RenderLayout(string body) =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, body))));
}
