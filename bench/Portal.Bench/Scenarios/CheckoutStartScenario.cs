using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Bench.Hosting;
using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B5: checkout start. The portal's start is a Blazor interaction (the start form calls <c>CheckoutService.StartAsync</c>),
/// not an HTTP endpoint, so it is called in-process here, from Portal.Core registered as the portal registers it, on
/// a database file of its own on the same disk, against the sandbox the portal hosts; alternated call by call with
/// a direct <c>POST /v1/gate_sessions</c> to that sandbox with the same body and a fresh Idempotency-Key.
/// Goal: the portal adds at most 20 ms at the median.
/// </summary>
public sealed class CheckoutStartScenario : IScenario
{
    private const double OverheadGoalMs = 20;
    private const int WarmupStarts = 10;

    private static readonly JsonSerializerOptions GateJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Id => "B5";

    public string Title => "checkout start: CheckoutService.StartAsync vs a direct session create";

    public async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var database = Path.Combine(settings.DataDirectory, "portal-core-b5.db");
        await using var core = await PortalCore.OpenAsync(Portal.Core.Persistence.StoreProvider.Sqlite, $"Data Source={database}", bench.Urls.Sandbox, settings.PortalApp, migrate: true, cancellationToken);
        using var sandbox = BenchHttp.CreateClient(bench.Urls.Sandbox);
        var portalBase = new Uri(bench.Urls.Portal.ToString().TrimEnd('/') + "/");
        // One customer per start: the portal limits how many checkouts one person may start per minute
        // (RateLimits:CheckoutStartsPerMinute), and this measures the start path, not that limit.
        var starts = 0;

        async Task<bool> PortalStartAsync()
        {
            var account = $"acct_bench_{bench.RunId}_b5_{Interlocked.Increment(ref starts)}";
            await using var scope = core.Scope();
            var checkout = scope.ServiceProvider.GetRequiredService<CheckoutService>();
            var result = await checkout.StartAsync(account, new StartCheckout(CheckoutFlow.OnRamp, "100", "EUR", "USDC", "polygon", null, Guid.NewGuid()), portalBase, cancellationToken);
            return result.Succeeded;
        }

        async Task<bool> DirectCreateAsync()
        {
            // The body CheckoutService sends for the same form (GateClient's JSON options), for an attempt id of the same shape.
            var attemptId = AttemptId.New();
            var body = new CreateGateSession("100", "EUR", "on_ramp", new Uri(portalBase, $"checkout/{attemptId}/return").ToString(),
                new Uri(portalBase, $"checkout/{attemptId}/cancel").ToString(), attemptId, "USDC", "polygon", null);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/gate_sessions") { Content = JsonContent.Create(body, options: GateJson) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BenchApps.SecretKey);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await sandbox.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.IsSuccessStatusCode;
        }

        for (var i = 0; i < WarmupStarts; i++)
        {
            if (!await PortalStartAsync() || !await DirectCreateAsync())
            {
                throw new InvalidOperationException("B5 warm-up: a checkout start or a direct session create failed; is the sandbox up?");
            }
        }

        var portalTimes = new LoadRecorder();
        var directTimes = new LoadRecorder();
        var failures = (Portal: 0, Direct: 0);
        Console.WriteLine($"  {settings.B5Starts} starts per arm, alternating one by one");
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < settings.B5Starts; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var portalOk = await PortalStartAsync();
            portalTimes.Record(portalOk ? 200 : 500, Stopwatch.GetTimestamp() - start);
            failures.Portal += portalOk ? 0 : 1;

            start = Stopwatch.GetTimestamp();
            var directOk = await DirectCreateAsync();
            directTimes.Record(directOk ? 200 : 500, Stopwatch.GetTimestamp() - start);
            failures.Direct += directOk ? 0 : 1;
        }

        var portal = portalTimes.ToResult(elapsed.Elapsed, settings.B5Starts);
        var direct = directTimes.ToResult(elapsed.Elapsed, settings.B5Starts);
        var overhead = portal.PercentileMs(50) - direct.PercentileMs(50);
        bench.Report.Add(new ReportRow(Id, "start → session created: p50",
            Fmt.Ms(portal.PercentileMs(50)), Fmt.Ms(direct.PercentileMs(50)), "+" + Fmt.Ms(overhead), $"≤ +{OverheadGoalMs:0} ms",
            overhead <= OverheadGoalMs && failures == (0, 0),
            $"{settings.B5Starts} each; p90 portal {Fmt.Ms(portal.PercentileMs(90))} vs direct {Fmt.Ms(direct.PercentileMs(90))}, p99 {Fmt.Ms(portal.PercentileMs(99))} vs {Fmt.Ms(direct.PercentileMs(99))}; " +
            $"failed starts portal {failures.Portal}, direct {failures.Direct}; the portal path is two SQLite commits (attempt, then session attached) around the same HTTP call"));
    }
}
