using System.Diagnostics;
using Portal.Bench.Hosting;
using Portal.Bench.Report;
using Portal.Bench.Scenarios;
using Portal.Core.Persistence;

namespace Portal.Bench;

/// <summary>
/// Starts the apps, runs the chosen scenarios in order (B1…B5) on SQLite, then B1–B3 again with the portal and the
/// bare endpoint on PostgreSQL (unless <c>--providers</c> says otherwise), and prints the one report table.
/// </summary>
public static class BenchRun
{
    public static async Task RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        var started = Stopwatch.GetTimestamp();
        var runId = Guid.NewGuid().ToString("n")[..8];
        var passes = settings.Providers.Where(p => settings.ScenariosOn(p).Count > 0).ToList();
        var facts = new List<string>(await MachineFacts.CollectAsync(settings.DataDirectory, cancellationToken));

        // The PostgreSQL server is checked before anything runs: a missing or unreachable server is a harness error now,
        // not after the SQLite pass.
        await using var postgres = passes.Contains(StoreProvider.PostgreSql) ? await PostgresServer.ConnectAsync(cancellationToken) : null;
        if (postgres is not null)
        {
            var origin = Environment.GetEnvironmentVariable("BENCH_PG_ORIGIN") is { Length: > 0 } described ? described : "an existing server (PGHOST)";
            facts.AddRange(await postgres.FactsAsync(origin, cancellationToken));
        }

        facts.Add($"settings:  {(settings.Quick ? "--quick " : "")}scenarios {string.Join(' ', settings.Scenarios.Order())}; {settings.Describe()}");
        if (postgres is not null)
        {
            var shorter = settings.DescribePostgresDifferences();
            facts.Add($"pg pass:   scenarios {string.Join(' ', settings.ScenariosOn(StoreProvider.PostgreSql))} again with the portal and the bare endpoint on PostgreSQL; " +
                (shorter.Length > 0 ? $"shorter steps to fit the time budget: {shorter}; every other knob as above" : "every knob as above"));
        }

        foreach (var fact in facts)
        {
            Console.WriteLine(fact);
        }

        var report = new BenchReport([.. passes.Select(BenchStore.DisplayName)]);
        if (Environment.GetEnvironmentVariable("BENCH_POSTGRES_NOTE") is { Length: > 0 } postgresNote)
        {
            report.NoteRun(postgresNote);
        }

        var completed = false;
        try
        {
            foreach (var provider in passes)
            {
                var passStart = Stopwatch.GetTimestamp();
                var name = BenchStore.DisplayName(provider);
                var store = provider == StoreProvider.PostgreSql
                    ? new BenchStore(provider,
                        await postgres!.CreateDatabaseAsync($"portal_bench_{runId}", cancellationToken),
                        await postgres.CreateDatabaseAsync($"bare_bench_{runId}", cancellationToken),
                        Path.Combine(settings.DataDirectory, "postgresql"))
                    : BenchStore.Sqlite(settings.DataDirectory);
                var passSettings = settings.For(provider);
                report.BeginPass(name);
                Console.WriteLine();
                Console.WriteLine($"bench: {name} pass: {string.Join(' ', passSettings.Scenarios.Order())}");
                await RunPassAsync(passSettings, report, runId, store, provider == StoreProvider.PostgreSql ? postgres : null, cancellationToken);
                Console.WriteLine($"bench: {name} pass took {Stopwatch.GetElapsedTime(passStart).TotalSeconds:0} s");
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

    private static async Task RunPassAsync(BenchSettings settings, BenchReport report, string runId, BenchStore store, PostgresServer? postgres, CancellationToken cancellationToken)
    {
        await using var bench = await BenchContext.StartAsync(settings, report, runId, store, postgres, cancellationToken);
        IScenario[] scenarios = [new IngestScenario(), new DuplicateStormScenario(), new PollingScenario(), new CircuitScenario(), new CheckoutStartScenario()];
        foreach (var scenario in scenarios.Where(s => settings.Runs(s.Id)))
        {
            var scenarioStart = Stopwatch.GetTimestamp();
            Console.WriteLine();
            Console.WriteLine($"bench: {scenario.Id} {scenario.Title}{(store.Provider == StoreProvider.Sqlite ? "" : $" (on {store.Name})")}");
            await scenario.RunAsync(bench, cancellationToken);
            Console.WriteLine($"bench: {scenario.Id} took {Stopwatch.GetElapsedTime(scenarioStart).TotalSeconds:0} s");
        }
    }
}
