using Portal.Core.Attempts;
using Portal.Core.Reads;
using Portal.Support;

namespace Portal.Tests.Support;

/// <summary>The list's URL form (shared by the page and the CSV export) and the CSV cells.</summary>
public sealed class SupportListQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Every_filter_reads_from_the_url_and_writes_back_the_same()
    {
        var uri = new Uri("https://portal.example/support/attempts?q=%20GS_abc%20&status=processing,requires_action&flow=off_ramp&review=yes&view=abandoned&range=custom&from=2026-11-01&to=2026-11-02&sort=-updated");

        var query = AttemptListQuery.Parse(uri, out var errors);

        errors.ShouldBeEmpty();
        query.Search.ShouldBe("GS_abc");
        query.Statuses.ShouldBe([AttemptStatus.Processing, AttemptStatus.RequiresAction]);
        query.Flow.ShouldBe(CheckoutFlow.OffRamp);
        query.NeedsReview.ShouldBe(true);
        query.View.ShouldBe(StuckView.Abandoned);
        query.Sort.ShouldBe(new AttemptSort(AttemptSortField.UpdatedAt, Descending: true));
        query.ToQueryString().ShouldBe("q=GS_abc&status=processing%2Crequires_action&flow=off_ramp&review=yes&view=abandoned&range=custom&from=2026-11-01&to=2026-11-02&sort=-updated");

        var filter = query.ToFilter(Now);
        filter.CreatedFrom.ShouldBe(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        filter.CreatedTo.ShouldBe(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)); // the 'to' day is included
        filter.Stuck.ShouldBe(StuckView.Abandoned);
    }

    [Theory]
    [InlineData("1h", 1)]
    [InlineData("24h", 24)]
    [InlineData("7d", 24 * 7)]
    [InlineData("30d", 24 * 30)]
    public void A_preset_stays_relative_to_now(string range, int hours)
    {
        var query = AttemptListQuery.Parse(new Uri($"https://p.example/support/attempts?range={range}"), out var errors);

        errors.ShouldBeEmpty();
        query.ToQueryString().ShouldBe($"range={range}");
        var filter = query.ToFilter(Now);
        filter.CreatedFrom.ShouldBe(Now.AddHours(-hours));
        filter.CreatedTo.ShouldBeNull();
    }

    [Fact]
    public void The_default_list_has_an_empty_query_and_unreadable_parts_are_reported_and_dropped()
    {
        AttemptListQuery.Parse(new Uri("https://p.example/support/attempts"), out var none).IsDefault.ShouldBeTrue();
        none.ShouldBeEmpty();

        var query = AttemptListQuery.Parse(new Uri("https://p.example/support/attempts?status=processing,nope&flow=card&review=maybe&from=2026-11-05&to=2026-11-01"), out var errors);

        query.Statuses.ShouldBe([AttemptStatus.Processing]);
        query.Flow.ShouldBeNull();
        query.NeedsReview.ShouldBeNull();
        query.Created.Preset.ShouldBe(TimeWindowPreset.AnyTime);
        errors.Count.ShouldBe(4);
    }

    [Theory]
    [InlineData("att_abc", "att_abc")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+33 6 12", "'+33 6 12")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=x,y", "\"'=x,y\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData(null, "")]
    public void Csv_cells_are_quoted_when_needed_and_never_start_a_formula(string? value, string cell) =>
        Csv.Cell(value).ShouldBe(cell);

    [Fact]
    public void Csv_amounts_are_invariant_and_exact() =>
        Csv.Line("x", Csv.Amount(1234.5000m), Csv.Amount(0.00000001m)).ShouldBe("x,1234.5000,0.00000001\r\n");
}
