using Bunit;
using Portal.Components.Checkout;
using Portal.Core.Gate;

namespace Portal.Tests.Components;

public sealed class FlowChooserTests : PortalComponentTest
{
    [Fact]
    public void Only_the_flows_0Gate_allows_are_offered()
    {
        var cut = Render<FlowChooser>(p => p.Add(c => c.Capabilities, new GateCapabilities(["on_ramp", "swap"], ["EUR"], ["USDC"], ["base"])));

        var links = cut.FindAll("a").Select(a => (a.TextContent.Trim(), a.GetAttribute("href"))).ToList();
        links.ShouldBe([("Buy crypto", "/checkout/new?flow=on_ramp"), ("Swap crypto", "/checkout/new?flow=swap")]);
    }

    [Fact]
    public void When_0Gate_offers_nothing_the_customer_is_told_instead_of_shown_dead_buttons()
    {
        var cut = Render<FlowChooser>(p => p.Add(c => c.Capabilities, GateCapabilities.None));

        cut.FindAll("a").ShouldBeEmpty();
        cut.Find("[data-testid=no-flows]").TextContent.ShouldContain("No checkout can be started right now");
    }
}
