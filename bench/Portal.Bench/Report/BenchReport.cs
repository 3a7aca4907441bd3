using System.Globalization;
using System.Text;

namespace Portal.Bench.Report;

/// <summary>One line of the report: a measured figure of the portal next to its baseline, and the goal it is held to.</summary>
/// <param name="Verdict">True: MET, false: NOT MET, null: information only (no goal).</param>
public sealed record ReportRow(string Scenario, string Measure, string Portal, string Baseline, string Ratio, string Goal, bool? Verdict, string Detail = "");

/// <summary>Collects rows as scenarios finish and prints them as one table under the machine facts.</summary>
public sealed class BenchReport
{
    private readonly List<ReportRow> _rows = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<ReportRow> Rows => _rows;

    public void Add(ReportRow row)
    {
        _rows.Add(row);
        var verdict = row.Verdict switch { true => "MET", false => "NOT MET", null => "info" };
        Console.WriteLine($"  {row.Scenario} {row.Measure}: portal {row.Portal}, baseline {row.Baseline}, ratio {row.Ratio}, goal {row.Goal}: {verdict}{(row.Detail.Length > 0 ? " — " + row.Detail : "")}");
    }

    /// <summary>A line printed under the table (a scenario that could not run, a caveat about a number).</summary>
    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"  note: {note}");
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
        var cells = _rows.Select(r => new[]
        {
            r.Scenario, r.Measure, r.Portal, r.Baseline, r.Ratio, r.Goal,
            r.Verdict switch { true => "MET", false => "NOT MET", null => "-" },
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

        var details = _rows.Where(r => r.Detail.Length > 0).ToList();
        if (details.Count > 0 || _notes.Count > 0)
        {
            text.AppendLine();
            foreach (var row in details)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {row.Scenario} {row.Measure}: {row.Detail}");
            }

            foreach (var note in _notes)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        var goals = _rows.Where(r => r.Verdict is not null).ToList();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"goals: {goals.Count(r => r.Verdict == true)} MET, {goals.Count(r => r.Verdict == false)} NOT MET");
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
