using System.Diagnostics;
using Portal.Bench.Report;
using Portal.Bench.Scenarios;

namespace Portal.Bench;

/// <summary>Starts the apps, runs the chosen scenarios in order (B1…B5) and prints the one report table.</summary>
public static class BenchRun
{
    public static async Task RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        var started = Stopwatch.GetTimestamp();
        var facts = new List<string>(await MachineFacts.CollectAsync(settings.DataDirectory, cancellationToken))
        {
            $"settings:  {(settings.Quick ? "--quick " : "")}scenarios {string.Join(' ', settings.Scenarios.Order())}; {settings.Describe()}",
        };
        foreach (var fact in facts)
        {
            Console.WriteLine(fact);
        }

        var report = new BenchReport();
        var completed = false;
        try
        {
            await using var bench = await BenchContext.StartAsync(settings, report, cancellationToken);
            IScenario[] scenarios = [new IngestScenario(), new DuplicateStormScenario(), new PollingScenario(), new CircuitScenario(), new CheckoutStartScenario()];
            foreach (var scenario in scenarios.Where(s => settings.Runs(s.Id)))
            {
                var scenarioStart = Stopwatch.GetTimestamp();
                Console.WriteLine();
                Console.WriteLine($"bench: {scenario.Id} {scenario.Title}");
                await scenario.RunAsync(bench, cancellationToken);
                Console.WriteLine($"bench: {scenario.Id} took {Stopwatch.GetElapsedTime(scenarioStart).TotalSeconds:0} s");
            }

            completed = true;
        }
        finally
        {
            facts.Add($"load avg:  {MachineFacts.LoadAverage()} (at the end)");
            facts.Add($"duration:  {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s for the scenarios (publishing not included){(completed ? "" : "; INCOMPLETE: the harness failed, see above")}");
            var table = report.Render(facts);
            Console.WriteLine();
            Console.WriteLine(table);
            if (settings.ReportFile is { } file)
            {
                await File.WriteAllTextAsync(file, table, CancellationToken.None);
            }
        }
    }
}
