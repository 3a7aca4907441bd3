using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.E2E.Support;

/// <summary>
/// Support's everyday screens in Chromium against the real portal, the in-process 0Gate sandbox and the dev provider:
/// Sam finds an attempt by the start of its id, cancels its 0Gate session with a reason and sees the audit entry; the
/// list exports as CSV.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed partial class SupportScreensE2ETests(PortalFixture portal)
{
    [Fact]
    public Task Sam_filters_the_list_opens_an_attempt_cancels_its_session_and_sees_the_audit_entry() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await page.GotoAsync("/support/attempts?status=requires_action");
        await page.SignInAsync("sam");
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/support/attempts?status=requires_action");

        var prefix = attempt.Id[..14].ToUpperInvariant(); // the start of the id, in any case
        await page.GetByLabel("Search ids").FillAsync(prefix);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/support/attempts?q={prefix}&status=requires_action");
        var row = page.GetByRole(AriaRole.Link, new() { Name = attempt.Id, Exact = true });
        await Expect(row).ToBeVisibleAsync();

        await row.ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/support/attempts/{attempt.Id}");
        await Expect(page.GetByTestId("fact-environment")).ToContainTextAsync("test");
        await Expect(page.GetByTestId("fact-return-url")).ToContainTextAsync($"{portal.BaseUrl}/checkout/{attempt.Id}/return");
        await Expect(page.GetByTestId("fact-user-reference")).ToContainTextAsync(attempt.Id);

        await page.GetByLabel("Reason for cancelling").FillAsync("Customer asked by phone to stop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel session" }).ClickAsync();

        await Expect(page.GetByTestId("support-action-result")).ToContainTextAsync("0Gate cancelled the session");
        var audit = page.GetByTestId("attempt-audit");
        await Expect(audit).ToContainTextAsync("cancel session");
        await Expect(audit).ToContainTextAsync("Customer asked by phone to stop");
        await Expect(audit).ToContainTextAsync("Sam");
        (await portal.Server.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, CancellationToken.None))!
            .Status.ShouldBe(AttemptStatus.Cancelled);

        // The page reads on a desktop and on a phone: nothing on it (facts, actions, timeline, audit) is wider than the
        // screen, and the long ids wrap.
        foreach (var (width, height) in new[] { (1280, 800), (375, 812) })
        {
            await page.SetViewportSizeAsync(width, height);
            await Expect(page.GetByTestId("attempt-timeline")).ToBeVisibleAsync();
            (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty($"at {width} px");
        }

        (await page.GetByTestId("fact-return-url").Locator("code").WrapsAsync()).ShouldBeTrue("the return URL should wrap at 375 px");
    });

    [Fact]
    public Task Export_downloads_a_csv_of_the_filtered_list() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("bob");
        await page.GotoAsync($"/support/attempts?q={attempt.Id}");
        await page.SignInAsync("sam");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attempt.Id, Exact = true })).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());

        ExportName().IsMatch(download.SuggestedFilename).ShouldBeTrue(download.SuggestedFilename);
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);
        lines[0].ShouldStartWith("attempt_id,status,needs_review,flow,amount,currency");
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith($"{attempt.Id},requires_action,no,on_ramp,12.5,EUR,");
        lines[1].Split(',')[16].ShouldBe("attempt_id"); // matched_on (the receipt's columns follow; an open attempt has none)
    });

    [GeneratedRegex(@"^attempts-\d{8}-\d{4}\.csv$")]
    private static partial Regex ExportName();
}
