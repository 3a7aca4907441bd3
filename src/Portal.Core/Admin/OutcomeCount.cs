using Portal.Core.Records;

namespace Portal.Core.Admin;

public sealed record OutcomeCount(EventOutcome Outcome, int Count)
{
    /// <summary>The stored name, e.g. <c>ignored_after_terminal</c>.</summary>
    public string Name => SnakeCase.From(Outcome.ToString());
}
