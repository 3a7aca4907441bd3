using System.Text;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>What the portal did for one full visit of <see cref="Path"/> (prerender plus circuit).</summary>
public sealed record RecordedVisit(string Path, IReadOnlyList<StoreCommand> StoreCommands, IReadOnlyList<string> GateRequests)
{
    /// <summary>
    /// Fails when any store command (same SQL, same parameter values) or any 0Gate request (same method, path and
    /// query) ran more than once, and when the visit read nothing: a page that did not read cannot prove it reads once.
    /// </summary>
    /// <param name="gateRequests">The 0Gate requests the page must have made (each once), e.g. <c>GET /v1/capabilities</c>.</param>
    /// <param name="readsStore">Whether the page reads the store (at least one command).</param>
    public void ShouldReadOnce(IReadOnlyCollection<string>? gateRequests = null, bool readsStore = true)
    {
        var problems = new List<string>();
        foreach (var repeated in StoreCommands.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            problems.Add($"store command ran {repeated.Count()} times: {repeated.Key}");
        }

        foreach (var repeated in GateRequests.GroupBy(r => r).Where(g => g.Count() > 1))
        {
            problems.Add($"0Gate request sent {repeated.Count()} times: {repeated.Key}");
        }

        if (readsStore && StoreCommands.Count == 0)
        {
            problems.Add("the visit ran no store command at all: the page did not read (or the recorder missed it)");
        }

        foreach (var expected in gateRequests ?? [])
        {
            if (!GateRequests.Contains(expected))
            {
                problems.Add($"the visit did not send {expected} to 0Gate");
            }
        }

        if (problems.Count > 0)
        {
            throw new ShouldAssertException($"A full visit of {Path} should read each thing once.\n  " + string.Join("\n  ", problems) + "\n" + Describe());
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"The visit of {Path}: {StoreCommands.Count} store command(s), {GateRequests.Count} 0Gate request(s).");
        foreach (var command in StoreCommands)
        {
            text.AppendLine($"    store: {command}");
        }

        foreach (var request in GateRequests)
        {
            text.AppendLine($"    0Gate: {request}");
        }

        return text.ToString();
    }
}
