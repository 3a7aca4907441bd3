using System.Globalization;
using System.Text;

namespace Portal.Support;

/// <summary>
/// RFC 4180 CSV for staff exports, safe to open in a spreadsheet: a cell that starts with <c>= + - @</c> (or a tab or
/// carriage return) is prefixed with <c>'</c> so it is never run as a formula; cells holding a comma, quote or line
/// break are quoted. Amounts are written as invariant decimals, times as ISO 8601 UTC.
/// </summary>
public static class Csv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\n', '\r'];

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (Array.IndexOf(FormulaStarts, value[0]) >= 0)
        {
            value = "'" + value;
        }

        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Amount(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;

    public static string Line(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Cell(cells[i]));
        }

        return line.Append("\r\n").ToString();
    }

    /// <summary>A download file name such as <c>attempts-20261123-0915.csv</c>.</summary>
    public static string FileName(string what, DateTimeOffset now) =>
        $"{what}-{now.UtcDateTime.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv";
}
