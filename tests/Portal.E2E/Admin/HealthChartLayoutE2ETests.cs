using Portal.E2E.Accessibility;
using Portal.E2E.Checkout;

namespace Portal.E2E.Admin;

/// <summary>
/// The admin health charts as laid out in Chromium, on a desktop and on a phone: each drawing fills its card at full
/// size (MudBlazor draws into a fixed 700 × 350 box unless told to match its element, which left a wide card 40 %
/// used and a phone's labels a few pixels tall), and the axis labels stay apart and inside the card.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class HealthChartLayoutE2ETests(PortalFixture portal)
{
    /// <summary>The axis charts, whose plot can span the card. The donut is a circle: it fills the card's height.</summary>
    private static readonly string[] AxisCharts = ["traffic-chart", "latency-chart", "funnel-chart"];

    [Fact]
    public async Task The_charts_fill_their_cards_at_1280_and_375_px_with_axis_labels_apart()
    {
        // A customer completes a buy, so every chart has something to draw.
        await portal.RunPageAsync(async customer =>
        {
            var journey = new CheckoutJourney(portal, customer);
            await journey.SignInAsync("alice", "/");
            await journey.StartAsync("on_ramp", "12");
            await journey.PressInHostedPageAsync("Complete");
            await journey.ExpectOutcomeAsync("success", "Your checkout is complete.");
        }, testName: nameof(The_charts_fill_their_cards_at_1280_and_375_px_with_axis_labels_apart) + ".customer");

        await portal.RunPageAsync(async page =>
        {
            await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString("/admin")}");
            await page.SignInAsync("ada");

            // MudBlazor keeps a fixed 30 px on the right of the plot for the last label: a tenth of a phone's card.
            foreach (var (width, height, share) in new[] { (1280, 800, 0.9), (375, 812, 0.85) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.GotoAsync("/admin");
                await page.WaitForCircuitAsync();
                var at = $"at {width} px";

                foreach (var id in AxisCharts)
                {
                    var chart = await SettledAsync(page, id);
                    chart.Drawn.ShouldBeGreaterThanOrEqualTo(share * chart.Content, $"{id} {at}: its marks span {chart.Drawn:0} of the card's {chart.Content:0} px");
                    chart.Scale.ShouldBeGreaterThan(0.95, $"{id} {at}: drawn at {chart.Scale:0.00} of its size, so its 12 px labels are {12 * chart.Scale:0.0} px");
                    chart.LabelsOutsideCard.ShouldBe(0, $"{id} {at}: axis labels past the card's edge");
                    if (!chart.LabelsTurned)
                    {
                        chart.NarrowestLabelGap.ShouldBeGreaterThan(2, $"{id} {at}: neighbouring axis labels {chart.NarrowestLabelGap:0.0} px apart");
                    }
                }

                var donut = await SettledAsync(page, "states-chart");
                donut.Drawn.ShouldBeGreaterThanOrEqualTo(0.95 * donut.Height, $"states-chart {at}: the ring is {donut.Drawn:0} px across in a drawing {donut.Height:0} px high");

                var traffic = await SettledAsync(page, "traffic-chart");
                traffic.LabelsTurned.ShouldBeFalse($"the 24 h labels are level {at}");
                traffic.Labels.ShouldBeGreaterThanOrEqualTo(4, $"the 24 h axis is labelled {at}");
            }

            // The page does not scroll sideways and no drawing is wider than its card. (Wide tables scroll inside their own
            // frame: a chart's data table once it has many series, 0Gate's delivery records further down.)
            (await page.ElementsWiderThanTheWindowAsync("[data-testid=health-charts] .health-chart-drawing")).ShouldBeEmpty("at 375 px");
            var axe = new AxeAudit(page);
            await axe.ScanAsync("admin health at 375 px");
            axe.ShouldHaveNoSeriousViolations();
        });
    }

    [Fact]
    public Task The_shown_window_stands_out_from_the_other_two() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString("/admin?window=1h")}");
        await page.SignInAsync("ada");

        var picker = page.GetByTestId("window-picker");
        var shown = picker.GetByRole(AriaRole.Link, new() { Name = "1h: show the last hour" });
        var other = picker.GetByRole(AriaRole.Link, new() { Name = "24h: show the last 24 hours" });
        await Expect(shown).ToHaveAttributeAsync("aria-current", "true");
        await Expect(other).Not.ToHaveAttributeAsync("aria-current", "true");

        var colours = await Task.WhenAll(Background(shown), Background(other), Background(picker.GetByRole(AriaRole.Link, new() { Name = "7d: show the last 7 days" })));
        colours[0].ShouldNotBe(colours[1], "the shown window is filled, the others outlined");
        colours[1].ShouldBe(colours[2]);

        static Task<string> Background(ILocator link) => link.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
    });

    /// <summary>
    /// Waits until the chart has sized its drawing to its element (its view box as wide as the SVG is laid out), then
    /// measures it. If it never does, the measurement shows by how much.
    /// </summary>
    private static async Task<ChartLayout> SettledAsync(IPage page, string id)
    {
        var drawing = page.Locator($"[data-testid={id}-drawing] svg").First;
        await Expect(drawing).ToBeVisibleAsync();
        try
        {
            await page.WaitForFunctionAsync(Sized, id, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // Measured below anyway: the assertions say what is wrong.
        }

        return await page.EvaluateAsync<ChartLayout>(Measure, id);
    }

    private const string Sized = """
        id => {
          const svg = document.querySelector(`[data-testid=${id}-drawing] svg`);
          const box = svg && svg.viewBox.baseVal;
          const laidOut = svg && svg.getBoundingClientRect();
          // An axis chart's box is as wide as the SVG; a ring's is a square as big as the SVG is high.
          return !!box && box.width > 0 && svg.querySelectorAll('path').length > 0
            && Math.min(Math.abs(box.width - laidOut.width), Math.abs(box.width - Math.min(laidOut.width, laidOut.height))) < 1;
        }
        """;

    private const string Measure = """
        id => {
          const svg = document.querySelector(`[data-testid=${id}-drawing] svg`);
          const card = svg.closest('.mud-paper');
          const style = getComputedStyle(card);
          const cardBox = card.getBoundingClientRect();
          const content = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          let left = Infinity, right = -Infinity;
          for (const mark of svg.querySelectorAll('path, text')) {
            const box = mark.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;
            left = Math.min(left, box.left);
            right = Math.max(right, box.right);
          }
          const labels = [...svg.querySelectorAll('.mud-charts-xaxis text')].filter(t => t.textContent.trim() !== '');
          const boxes = labels.map(t => t.getBoundingClientRect()).sort((a, b) => a.left - b.left);
          let gap = Infinity;
          for (let i = 1; i < boxes.length; i++) gap = Math.min(gap, boxes[i].left - boxes[i - 1].right);
          return {
            Content: content,
            Drawn: right > left ? right - left : 0,
            Height: svg.getBoundingClientRect().height,
            Scale: svg.getScreenCTM().a,
            Labels: labels.length,
            LabelsTurned: labels.some(t => /rotate\(-?[1-9]/.test(t.getAttribute('transform') || '')),
            NarrowestLabelGap: boxes.length > 1 ? gap : 999,
            LabelsOutsideCard: boxes.filter(b => b.left < cardBox.left || b.right > cardBox.right).length,
          };
        }
        """;

    /// <summary>What <see cref="Measure"/> returns (Playwright fills it by property name).</summary>
    private sealed class ChartLayout
    {
        /// <summary>The card's width inside its padding.</summary>
        public double Content { get; set; }

        /// <summary>From the leftmost to the rightmost mark: axis labels, grid lines, bars or ring.</summary>
        public double Drawn { get; set; }

        public double Height { get; set; }

        /// <summary>How the drawing is scaled to fit its SVG: 1 when it is drawn at the size it was laid out for.</summary>
        public double Scale { get; set; }

        public int Labels { get; set; }

        public bool LabelsTurned { get; set; }

        public double NarrowestLabelGap { get; set; }

        public int LabelsOutsideCard { get; set; }
    }
}
