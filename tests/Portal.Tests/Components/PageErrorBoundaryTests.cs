using Bunit;
using Microsoft.AspNetCore.Components;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

public sealed class PageErrorBoundaryTests : PortalComponentTest
{
    [Fact]
    public void A_failing_page_shows_a_calm_message_and_can_be_retried()
    {
        var fail = true;
        var cut = Render<PageErrorBoundary>(p => p.AddChildContent<FlakyPage>(child => child.Add(c => c.Fail, () => fail)));

        cut.Find("[data-testid=page-error]").TextContent.ShouldContain("Something went wrong on our side");
        cut.Markup.ShouldNotContain("store is busy"); // the exception's message is not shown

        fail = false;
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Try again").Click();

        cut.Find("[data-testid=page-ok]").TextContent.ShouldBe("Loaded");
        cut.FindAll("[data-testid=page-error]").ShouldBeEmpty();
    }

    private sealed class FlakyPage : ComponentBase
    {
        [Parameter]
        public Func<bool> Fail { get; set; } = () => false;

        protected override void OnInitialized()
        {
            if (Fail())
            {
                throw new InvalidOperationException("The store is busy.");
            }
        }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "page-ok");
            builder.AddContent(2, "Loaded");
            builder.CloseElement();
        }
    }
}
