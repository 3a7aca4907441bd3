using Portal.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchSettings.Usage());
    return 0;
}

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    await BenchRun.RunAsync(settings, cancellation.Token);
    return 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: cancelled.");
    return 130;
}
#pragma warning disable CA1031 // The harness failing is reported, whatever failed.
catch (Exception ex)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"bench: the harness failed: {ex}");
    return 1;
}
