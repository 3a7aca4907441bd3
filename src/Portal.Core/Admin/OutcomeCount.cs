using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Support;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

public sealed record OutcomeCount(EventOutcome Outcome, int Count)
{
    /// <summary>The stored name, e.g. <c>ignored_after_terminal</c>.</summary>
    public string Name => SnakeCase.From(Outcome.ToString());
}
