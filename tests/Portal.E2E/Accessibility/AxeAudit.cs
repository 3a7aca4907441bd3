using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Portal.E2E.Accessibility;

/// <summary>
/// Runs axe-core on one page after another and collects the serious and critical violations, so one failing test
/// lists every page's problems at once: rule id, impact, help, link and the selectors of the offending elements.
/// </summary>
internal sealed class AxeAudit(IPage page)
{
    private static readonly HashSet<string> Blocking = new(StringComparer.OrdinalIgnoreCase) { "serious", "critical" };

    /// <summary>
    /// Resolves once the page's finite CSS transitions and animations have ended: a button fading from filled to
    /// outlined after a click would otherwise be measured half-way, with colours it never settles on. Endless ones
    /// (an indeterminate progress bar) are left running.
    /// </summary>
    private const string FinishedTransitions =
        "() => Promise.all(document.getAnimations()" +
        ".filter(a => a.effect?.getComputedTiming().endTime !== Infinity)" +
        ".map(a => a.finished.catch(() => null)))";

    private readonly StringBuilder _findings = new();
    private readonly List<string> _scanned = [];

    /// <summary>
    /// Scans the page as it is now. Call it once the page's circuit is live and its content is shown: axe reads the
    /// DOM at that moment and knows nothing about what is still loading.
    /// </summary>
    public async Task ScanAsync(string what)
    {
        await page.EvaluateAsync(FinishedTransitions);
        var result = await page.RunAxe(new AxeRunOptions());
        _scanned.Add(what);
        foreach (var violation in result.Violations.Where(v => v.Impact is { } impact && Blocking.Contains(impact)))
        {
            _findings.AppendLine($"{what} ({page.Url}): {violation.Id} [{violation.Impact}] {violation.Help} — {violation.HelpUrl}");
            foreach (var node in violation.Nodes)
            {
                _findings.AppendLine($"    {node.Target}  {node.Html}");
                foreach (var check in node.Any.Concat(node.All).Concat(node.None))
                {
                    _findings.AppendLine($"      {check.Message}");
                }
            }
        }
    }

    public void ShouldHaveNoSeriousViolations()
    {
        _scanned.ShouldNotBeEmpty("nothing was scanned");
        _findings.Length.ShouldBe(0,
            $"axe found serious or critical violations in {_scanned.Count} scanned pages ({string.Join(", ", _scanned)}):{Environment.NewLine}{_findings}");
    }
}
