using System.Globalization;
using System.Text;

namespace Portal.Bench.Report;

/// <summary>One line of the report: a measured figure of the portal next to its baseline, and the goal it is held to.</summary>
/// <param name="Verdict">True: MET, false: NOT MET, null: information only (no goal).</param>
public sealed record ReportRow(string Scenario, string Measure, string Portal, string Baseline, string Ratio, string Goal, bool? Verdict, string Detail = "");

/// <summary>
/// Collects rows as scenarios finish and prints them as one table under the machine facts. With more than one pass
/// (SQLite, then PostgreSQL), every row is labelled with its store ("B1 (PostgreSQL)") and each PostgreSQL row is
/// printed right under the SQLite row of the same measure, so the two stores read side by side.
/// </summary>
public sealed class BenchReport
{
    private readonly List<(ReportRow Row, string? Pass, int Order)> _rows = [];
    private readonly List<string> _notes = [];
    private readonly IReadOnlyList<string> _passes;
    private string? _pass;

    /// <param name="passes">The passes this run makes, in order (store names); with more than one, rows carry their pass's name.</param>
    public BenchReport(IReadOnlyList<string>? passes = null) => _passes = passes ?? [];

    public IReadOnlyList<ReportRow> Rows => [.. _rows.Select(r => r.Row)];

    /// <summary>The pass (store name) the next rows belong to.</summary>
    public void BeginPass(string pass) => _pass = pass;

    public void Add(ReportRow row)
    {
        var order = _rows.Count(r => r.Pass == _pass && r.Row.Scenario == row.Scenario);
        _rows.Add((row, _pass, order));
        var verdict = row.Verdict switch { true => "MET", false => "NOT MET", null => "info" };
        Console.WriteLine($"  {Label(row.Scenario, _pass)} {row.Measure}: portal {row.Portal}, baseline {row.Baseline}, ratio {row.Ratio}, goal {row.Goal}: {verdict}{(row.Detail.Length > 0 ? " — " + row.Detail : "")}");
    }

    /// <summary>A line printed under the table (a scenario that could not run, a caveat about a number).</summary>
    public void Note(string note)
    {
        var text = _pass is null || _passes.Count < 2 ? note : $"{_pass}: {note}";
        _notes.Add(text);
        Console.WriteLine($"  note: {text}");
    }

    /// <summary>A note that belongs to no pass (the run as a whole).</summary>
    public void NoteRun(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    /// <summary>"B1", or "B1 (PostgreSQL)" once the run has more than one pass.</summary>
    private string Label(string scenario, string? pass) => pass is null || _passes.Count < 2 ? scenario : $"{scenario} ({pass})";

    private int IndexOf(string pass)
    {
        for (var i = 0; i < _passes.Count; i++)
        {
            if (_passes[i] == pass)
            {
                return i;
            }
        }

        return _passes.Count;
    }

    /// <summary>Rows in scenario order (as first reported), each measure's rows of every pass together.</summary>
    private IEnumerable<(ReportRow Row, string Label)> Ordered()
    {
        var scenarios = _rows.Select(r => r.Row.Scenario).Distinct().Order(StringComparer.Ordinal).ToList();
        return _rows
            .OrderBy(r => scenarios.IndexOf(r.Row.Scenario))
            .ThenBy(r => r.Order)
            .ThenBy(r => r.Pass is null ? -1 : IndexOf(r.Pass))
            .Select(r => (r.Row, Label(r.Row.Scenario, r.Pass)));
    }

    public string Render(IReadOnlyList<string> facts)
    {
        var text = new StringBuilder();
        text.AppendLine("Portal performance report (./bench.sh)");
        foreach (var fact in facts)
        {
            text.AppendLine(fact);
        }

        text.AppendLine();
        string[] headers = ["goal", "measure", "portal", "baseline", "ratio", "target", "verdict"];
        var ordered = Ordered().ToList();
        var cells = ordered.Select(o => new[]
        {
            o.Label, o.Row.Measure, o.Row.Portal, o.Row.Baseline, o.Row.Ratio, o.Row.Goal,
            o.Row.Verdict switch { true => "MET", false => "NOT MET", null => "-" },
        }).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        void Line(IReadOnlyList<string> values) =>
            text.AppendLine("| " + string.Join(" | ", values.Select((v, i) => v.PadRight(widths[i]))) + " |");
        Line(headers);
        text.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in cells)
        {
            Line(row);
        }

        var details = ordered.Where(o => o.Row.Detail.Length > 0).ToList();
        if (details.Count > 0 || _notes.Count > 0)
        {
            text.AppendLine();
            foreach (var (row, label) in details)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {label} {row.Measure}: {row.Detail}");
            }

            foreach (var note in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        var goals = _rows.Select(r => r.Row).Where(r => r.Verdict is not null).ToList();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"goals: {goals.Count(r => r.Verdict == true)} MET, {goals.Count(r => r.Verdict == false)} NOT MET");
        if (_passes.Count > 1)
        {
            foreach (var pass in _passes)
            {
                var own = _rows.Where(r => r.Pass == pass && r.Row.Verdict is not null).Select(r => r.Row).ToList();
                text.AppendLine(CultureInfo.InvariantCulture, $"  on {pass}: {own.Count(r => r.Verdict == true)} MET, {own.Count(r => r.Verdict == false)} NOT MET");
            }
        }
        return text.ToString();
    }
}

/// <summary>Number formatting for the table (invariant culture, units in the text).</summary>
public static class Fmt
{
    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string PerSecond(double value) => value.ToString("0", CultureInfo.InvariantCulture) + "/s";

    public static string Ratio(double value) => double.IsNaN(value) || double.IsInfinity(value) ? "n/a" : value.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string KiB(double bytes) => (bytes / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    public static string MiB(double bytes) => (bytes / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>A count per delivery: one decimal.</summary>
    public static string PerDelivery(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
