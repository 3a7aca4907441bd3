namespace Portal.Bench.Scenarios;

/// <summary>One measured comparison; adds its rows to the report.</summary>
public interface IScenario
{
    string Id { get; }

    string Title { get; }

    Task RunAsync(BenchContext bench, CancellationToken cancellationToken);
}
