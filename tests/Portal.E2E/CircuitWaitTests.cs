namespace Portal.E2E;

/// <summary>How tests know a page is live: <c>&lt;html data-circuit="connected"&gt;</c>, set by MainLayout's first interactive render.</summary>
[Collection(PortalE2E.Collection)]
public sealed class CircuitWaitTests(PortalFixture portal)
{
    [Fact]
    public Task An_interactive_page_marks_its_html_element_and_renders_no_marker_element() => portal.RunPageAsync(async page =>
    {
        // The prerendered HTML carries Blazor's server component markers (what WaitForCircuitAsync's message relies on), unmarked.
        var prerendered = await (await page.APIRequest.GetAsync("/")).TextAsync();
        prerendered.ShouldContain("<!--Blazor:{\"type\":\"server\"");
        prerendered.ShouldNotContain("data-circuit");

        await page.GotoAsync("/");
        await page.WaitForCircuitAsync();

        (await page.EvaluateAsync<string>("() => document.documentElement.dataset.circuit")).ShouldBe("connected");
        await Expect(page.Locator("body [data-circuit]")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_static_page_is_never_marked_and_the_wait_says_why() => portal.RunPageAsync(async page =>
    {
        (await page.GotoAsync("/access-denied"))!.Status.ShouldBe(403);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();

        // Proving an absence needs a bounded wait; two seconds is far longer than a circuit takes on this machine.
        var failure = await Should.ThrowAsync<TimeoutException>(() => page.WaitForCircuitAsync(TimeSpan.FromSeconds(2)));

        failure.Message.ShouldContain("renders statically");
        (await page.EvaluateAsync<string?>("() => document.documentElement.dataset.circuit ?? null")).ShouldBeNull();
    });
}
