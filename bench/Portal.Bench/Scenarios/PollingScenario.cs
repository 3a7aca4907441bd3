using System.Net;
using System.Text.Json;
using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B3: status polling. Signed-in customers each poll <c>GET /api/checkout/{their attempt}/status</c> every few seconds
/// (open loop, spread evenly) while webhooks arrive at a fixed rate (goal p99 &lt; 50 ms); then the endpoint's
/// closed-loop throughput against a constant-JSON endpoint of the same shape in the bare app (goal ≥ 0.5×).
/// </summary>
public sealed class PollingScenario : IScenario
{
    private const double P99GoalMs = 50;
    private const double ThroughputGoal = 0.5;

    public string Id => "B3";

    public string Title => "status polling under webhook load; status endpoint vs constant JSON";

    public async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var bare = bench.BareClient ?? throw new InvalidOperationException("B3 needs the bare app.");
        var customers = await SignedInCustomers.CreateAsync(bench, "b3", settings.B3Customers, cancellationToken);
        await customers.VerifyAsync(bench.PortalClient, cancellationToken);

        var pollRate = settings.B3Customers / settings.B3PollPeriod.TotalSeconds;
        var polls = (int)Math.Round(pollRate * settings.B3Duration.TotalSeconds);
        var hooks = (int)Math.Round(settings.B3WebhookRate * settings.B3Duration.TotalSeconds);
        var pool = new AttemptPool(bench.Seeder, $"acct_bench_{bench.RunId}_b3hooks");
        await pool.EnsureAsync(hooks, cancellationToken);
        var deliveries = Enumerable.Range(0, hooks).Select(_ => bench.Seeder.CompletedEvent(pool.Next(), "b3")).ToArray();

        Console.WriteLine($"  open loop: {settings.B3Customers} customers polling every {settings.B3PollPeriod.TotalSeconds:0.#} s ({pollRate:0}/s) " +
            $"and {settings.B3WebhookRate:0} webhooks/s for {settings.B3Duration.TotalSeconds:0} s");
        var pollTask = LoadLoops.OpenAsync(polls, pollRate, (i, ct) => bench.PortalClient.SendForStatusAsync(customers.StatusRequest(i), ct), cancellationToken);
        var hookTask = LoadLoops.OpenAsync(hooks, settings.B3WebhookRate, (i, ct) => bench.DeliverAsync(deliveries[i], ct), cancellationToken);
        var poll = await pollTask;
        var hook = await hookTask;
        var p99 = poll.PercentileMs(99);
        bench.Report.Add(new ReportRow(Id, $"{settings.B3Customers} customers polling every {settings.B3PollPeriod.TotalSeconds:0.#} s + {settings.B3WebhookRate:0} webhooks/s: poll p99",
            Fmt.Ms(p99), "-", "-", $"< {P99GoalMs:0} ms, 0 non-2xx", p99 < P99GoalMs && poll.NonSuccess == 0 && poll.Errors == 0,
            $"{poll.Answered}/{poll.Scheduled} polls answered ({Fmt.PerSecond(poll.Throughput)}); p50 {Fmt.Ms(poll.PercentileMs(50))}, p90 {Fmt.Ms(poll.PercentileMs(90))}, " +
            $"p99.9 {Fmt.Ms(poll.PercentileMs(99.9))}, max {Fmt.Ms(poll.MaxMs)}; {poll.Failures()}; webhooks meanwhile p50 {Fmt.Ms(hook.PercentileMs(50))}, " +
            $"p99 {Fmt.Ms(hook.PercentileMs(99))}, {hook.Failures()}"));

        // Closed loop: the same authenticated requests, to the portal and to the constant-JSON endpoint.
        var concurrency = settings.B3Concurrency;
        const int cap = 1_000_000;
        Console.WriteLine($"  warm-up and {settings.Rounds} rounds of {settings.B3ClosedDuration.TotalSeconds:0.#} s at {concurrency} senders, constant JSON then portal");
        await LoadLoops.ClosedAsync(concurrency, settings.Warmup, cap, (i, ct) => bare.SendForStatusAsync(customers.StatusRequest(i), ct), cancellationToken);
        await LoadLoops.ClosedAsync(concurrency, settings.Warmup, cap, (i, ct) => bench.PortalClient.SendForStatusAsync(customers.StatusRequest(i), ct), cancellationToken);
        var bareRuns = new List<LoadResult>();
        var portalRuns = new List<LoadResult>();
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var bareResult = await LoadLoops.ClosedAsync(concurrency, settings.B3ClosedDuration, cap, (i, ct) => bare.SendForStatusAsync(customers.StatusRequest(i), ct), cancellationToken);
            var portalResult = await LoadLoops.ClosedAsync(concurrency, settings.B3ClosedDuration, cap, (i, ct) => bench.PortalClient.SendForStatusAsync(customers.StatusRequest(i), ct), cancellationToken);
            bareRuns.Add(bareResult);
            portalRuns.Add(portalResult);
            Console.WriteLine($"  round {round}: constant JSON {Fmt.PerSecond(bareResult.Throughput)}, portal {Fmt.PerSecond(portalResult.Throughput)} ({portalResult.Failures()})");
        }

        var portal = Fmt.Median(portalRuns.Select(r => r.Throughput));
        var baseline = Fmt.Median(bareRuns.Select(r => r.Throughput));
        var ratio = portal / baseline;
        var failures = portalRuns.Sum(r => r.NonSuccess + r.Errors);
        bench.Report.Add(new ReportRow(Id, $"status endpoint, closed loop {concurrency} senders: requests/s",
            Fmt.PerSecond(portal), Fmt.PerSecond(baseline), Fmt.Ratio(ratio), $"≥ {ThroughputGoal:0.0}×", ratio >= ThroughputGoal && failures == 0,
            $"baseline: constant JSON of the same shape from the bare app; median of {portalRuns.Count} rounds; p50 portal {Fmt.Ms(Fmt.Median(portalRuns.Select(r => r.PercentileMs(50))))}, " +
            $"constant {Fmt.Ms(Fmt.Median(bareRuns.Select(r => r.PercentileMs(50))))}; failed portal requests {failures}"));
    }
}

/// <summary>Customers with one open attempt each and a minted auth cookie.</summary>
public sealed class SignedInCustomers
{
    private readonly IReadOnlyList<SeededAttempt> _attempts;
    private readonly string[] _cookieHeaders;

    private SignedInCustomers(IReadOnlyList<SeededAttempt> attempts, string[] cookieValues)
    {
        _attempts = attempts;
        CookieValues = cookieValues;
        _cookieHeaders = [.. cookieValues.Select(CustomerCookies.Header)];
    }

    public int Count => _attempts.Count;

    public IReadOnlyList<string> CookieValues { get; }

    public SeededAttempt Attempt(int customer) => _attempts[customer];

    public static async Task<SignedInCustomers> CreateAsync(BenchContext bench, string tag, int count, CancellationToken cancellationToken)
    {
        // The key ring exists once the portal has protected something: rendering the home page does (antiforgery).
        using (var home = await bench.PortalClient.GetAsync("/", cancellationToken))
        {
            home.EnsureSuccessStatusCode();
        }

        // The customers' attempts stay open: 0Gate is not told of them (completedInGate: false), as before.
        var attempts = await bench.Seeder.SeedAsync(count, i => $"acct_bench_{bench.RunId}_{tag}_c{i}", cancellationToken, completedInGate: false);
        var cookies = attempts.Select(a => bench.Cookies.Mint(a.AccountId)).ToArray();
        return new SignedInCustomers(attempts, cookies);
    }

    /// <summary>Request <paramref name="i"/> of a round-robin over the customers: their own status, with their cookie.</summary>
    public HttpRequestMessage StatusRequest(int i)
    {
        var customer = i % _attempts.Count;
        return StatusRequest(customer, customer);
    }

    private HttpRequestMessage StatusRequest(int customer, int attemptOf)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/checkout/{_attempts[attemptOf].AttemptId}/status");
        request.Headers.TryAddWithoutValidation("Cookie", _cookieHeaders[customer]);
        return request;
    }

    /// <summary>
    /// Before measuring anything: a minted cookie reads its own attempt (200, the right id) and gets 404 for another
    /// customer's attempt. Otherwise the numbers would measure redirects to sign-in, so the harness stops.
    /// </summary>
    public async Task VerifyAsync(HttpClient portal, CancellationToken cancellationToken)
    {
        using (var own = await portal.SendAsync(StatusRequest(0, 0), cancellationToken))
        {
            var body = await own.Content.ReadAsStringAsync(cancellationToken);
            using var json = own.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body) : null;
            if (json?.RootElement.GetProperty("attemptId").GetString() != _attempts[0].AttemptId)
            {
                throw new InvalidOperationException($"A minted customer cookie did not read its own status: {(int)own.StatusCode} {body}. " +
                    "Has the portal's cookie or Data Protection set-up changed? See PortalData/CustomerCookies.cs.");
            }
        }

        if (_attempts.Count > 1)
        {
            using var other = await portal.SendAsync(StatusRequest(0, 1), cancellationToken);
            if (other.StatusCode != HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"A customer reading another customer's attempt got {(int)other.StatusCode}, not 404.");
            }
        }

        Console.WriteLine($"  {Count} customers signed in (minted cookies: own attempt 200, another's 404)");
    }
}
