using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Auth;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.E2E.ScaleOut;

/// <summary>
/// Two instances on one PostgreSQL database behind the shipped nginx configuration (<see cref="TwoInstancesFixture"/>):
/// a customer's journey stays on one instance, a delivery stored by one instance reaches a page open on the other, the
/// same event sent to both closes its attempt once, a session cookie minted by one is accepted by the other, and killing
/// one in the middle of a storm of deliveries loses nothing that was acknowledged.
/// </summary>
[TestCaseOrderer(KillingTestsLast.TypeName, KillingTestsLast.AssemblyName)]
public sealed partial class TwoInstancesTests(TwoInstancesFixture portal, ITestOutputHelper output) : IClassFixture<TwoInstancesFixture>
{
    private const string Complete = "Your checkout is complete.";
    private const string Processing = "We are confirming your checkout. You can leave this page and return later.";

    [TwoInstancesFact]
    public Task A_customer_journey_through_nginx_is_served_by_one_instance() => OnPinnedPageAsync("a", async (page, servedBy) =>
    {
        await SignInAsync(page, "alice", "/checkout/new?flow=on_ramp");
        var attemptId = await StartBuyAsync(page, "40");

        await Hosted(page).GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();

        // The sandbox's completion went to nginx, which gave it to either instance; the page heard of it either way.
        await ExpectOutcomeAsync(page, "success", Complete);
        await Expect(page).ToHaveURLAsync($"{portal.ProxyOrigin}/checkout/{attemptId}/return");
        await Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
        // Every page, script, style and circuit negotiation of the journey came through nginx from one instance.
        servedBy.Instances.ShouldBe(["a"], servedBy.Describe());
        servedBy.Paths.ShouldContain("/signin-oidc");
        servedBy.Paths.ShouldContain("/_blazor/negotiate");
        (await ClosesAsync(attemptId, AttemptStatus.Fulfilled)).ShouldBe(1);
    });

    [TwoInstancesFact]
    public async Task Nginx_gives_a_new_browser_a_route_cookie_that_keeps_it_on_one_instance()
    {
        await portal.EnsureRunningAsync("b");
        using var client = portal.CreateProxyClient();

        using var first = await client.GetAsync("/");
        first.StatusCode.ShouldBe(HttpStatusCode.OK, portal.Describe());
        var routeCookie = first.Headers.GetValues("Set-Cookie").Single(cookie => cookie.StartsWith("portal_route=", StringComparison.Ordinal));
        routeCookie.Split(';', StringSplitOptions.TrimEntries)[1..].ShouldBe(["Path=/", "Secure", "HttpOnly", "SameSite=Lax"]);
        var route = routeCookie.Split(';')[0];

        // With it, every request goes where the first one went, and nginx sets no new one.
        for (var i = 0; i < 10; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, i % 2 == 0 ? "/" : "/_framework/blazor.web.js");
            request.Headers.Add("Cookie", route);
            using var again = await client.SendAsync(request);
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
            TwoInstancesFixture.AnsweredBy(again).ShouldBe(TwoInstancesFixture.AnsweredBy(first));
            (again.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("portal_route=", StringComparison.Ordinal))).ShouldBeFalse();
        }

        // Browsers without one are spread over both instances (each gets a random route): 32 coin tosses.
        var instances = new HashSet<string?>();
        for (var i = 0; i < 32; i++)
        {
            using var fresh = await client.GetAsync("/healthz");
            instances.Add(TwoInstancesFixture.AnsweredBy(fresh));
        }

        instances.Order().ShouldBe(["a", "b"]);
    }

    [TwoInstancesFact]
    public Task A_delivery_stored_by_one_instance_updates_the_page_open_on_the_other_within_a_second() => OnPinnedPageAsync("a", async (page, servedBy) =>
    {
        await portal.EnsureRunningAsync("b");
        await SignInAsync(page, "alice", "/checkout/new?flow=on_ramp");
        var attemptId = await StartBuyAsync(page, "41");
        var sandbox = portal.Sandbox;
        await sandbox.HoldDeliveriesAsync(); // this test delivers the completion itself, to B
        try
        {
            await Hosted(page).GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
            await Expect(page).ToHaveURLAsync($"{portal.ProxyOrigin}/checkout/{attemptId}/return");
            await page.WaitForCircuitAsync();
            await ExpectOutcomeAsync(page, "processing", Processing);
        }
        finally
        {
            await sandbox.ReleaseDeliveriesAsync();
        }

        servedBy.Instances.ShouldBe(["a"], servedBy.Describe()); // the page and its circuit live on A
        var sessionId = await portal.Store.QueryAsync(db => db.Attempts.Where(a => a.Id == attemptId).Select(a => a.GateSessionId).SingleAsync());
        var completed = SignedDeliveries.Event(SignedDeliveries.NewEventId(), GateEventTypes.SessionCompleted, await sandbox.GetSessionAsync(sessionId!));
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref navigations);
            }
        };

        using var b = portal.CreateInstanceClient("b");
        using var delivered = await b.SendAsync(SignedDeliveries.Delivery(completed));
        delivered.StatusCode.ShouldBe(HttpStatusCode.OK, portal.Describe());
        TwoInstancesFixture.AnsweredBy(delivered).ShouldBe("b");
        var stored = await portal.Store.QueryAsync(db => db.Attempts.SingleAsync(a => a.Id == attemptId));
        stored.Status.ShouldBe(AttemptStatus.Fulfilled, await TimelineAsync(attemptId));

        // B committed; its pg_notify reaches A's listener, which pushes to the circuit: well before the 3 s poll.
        var pushed = Stopwatch.StartNew();
        await ShowsWithinAsync(page, Complete, TimeSpan.FromSeconds(1));
        output.WriteLine($"The page on A showed B's commit after {pushed.ElapsedMilliseconds} ms.");
        Volatile.Read(ref navigations).ShouldBe(0); // the same page, not a reload
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "success");
    });

    [TwoInstancesFact]
    public async Task The_same_event_sent_to_both_instances_at_once_closes_the_attempt_once_with_one_receipt()
    {
        await portal.EnsureRunningAsync("b");
        // A checkout completed at 0Gate whose completion nobody has delivered yet.
        var sandbox = portal.Sandbox;
        var attemptId = await portal.Store.CreateAttemptAsync("alice");
        var (sessionId, clientSecret) = await sandbox.CreateSessionAsync(attemptId, portal.ProxyOrigin);
        await portal.Store.AttachSessionAsync(attemptId, sessionId);
        await sandbox.HoldDeliveriesAsync();
        try
        {
            await sandbox.CompleteSessionAsync(clientSecret);
        }
        finally
        {
            await sandbox.ReleaseDeliveriesAsync();
        }

        var eventId = SignedDeliveries.NewEventId();
        var completed = SignedDeliveries.Event(eventId, GateEventTypes.SessionCompleted, await sandbox.GetSessionAsync(sessionId));
        using var a = portal.CreateInstanceClient("a");
        using var b = portal.CreateInstanceClient("b");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deliveries = Enumerable.Range(0, 40).Select(async i =>
        {
            await start.Task;
            using var response = await (i % 2 == 0 ? a : b).SendAsync(SignedDeliveries.Delivery(completed));
            return (response.StatusCode, Instance: TwoInstancesFixture.AnsweredBy(response));
        }).ToList();
        start.SetResult();
        var answers = await Task.WhenAll(deliveries);

        answers.ShouldAllBe(answer => answer.StatusCode == HttpStatusCode.OK);
        answers.Select(answer => answer.Instance).Distinct().Order().ShouldBe(["a", "b"]);
        (await portal.Store.QueryAsync(db => db.ProcessedEvents.CountAsync(e => e.EventId == eventId))).ShouldBe(1);
        (await ClosesAsync(attemptId, AttemptStatus.Fulfilled)).ShouldBe(1);
        (await portal.Store.QueryAsync(db => db.Timeline.CountAsync(e => e.AttemptId == attemptId && e.Kind == TimelineKind.EventDuplicate))).ShouldBe(39);
        (await portal.Store.QueryAsync(db => db.Jobs.CountAsync(j => j.AttemptId == attemptId && j.Kind == JobKinds.FetchReceipt))).ShouldBe(1);

        // The one job runs on whichever instance claims it first, and reads the receipt from 0Gate once.
        await Wait.UntilAsync(
            () => portal.Store.QueryAsync(db => db.Jobs.AnyAsync(j => j.AttemptId == attemptId && j.CompletedAt != null)),
            TimeSpan.FromSeconds(20),
            portal.Describe);
        (await portal.Store.QueryAsync(db => db.Receipts.CountAsync(r => r.AttemptId == attemptId))).ShouldBe(1);
        (await portal.Store.QueryAsync(db => db.Jobs.SingleAsync(j => j.AttemptId == attemptId))).Tries.ShouldBe(0); // no failed try
    }

    [TwoInstancesFact]
    public Task A_session_cookie_minted_by_one_instance_is_accepted_by_the_other() => OnPinnedPageAsync("a", async (page, servedBy) =>
    {
        await portal.EnsureRunningAsync("b");
        var attemptId = await portal.Store.SeedAttemptAsync("alice", "gs_" + Guid.NewGuid().ToString("n"));

        await SignInAsync(page, "alice", "/");

        // A redeemed the code and set the session cookie (/signin-oidc, through nginx, pinned to A).
        servedBy.Instances.ShouldBe(["a"], servedBy.Describe());
        servedBy.Paths.ShouldContain("/signin-oidc");
        var session = (await page.Context.CookiesAsync([portal.ProxyOrigin]))
            .Where(cookie => cookie.Name.StartsWith(AuthenticationHostingExtensions.SecureAuthCookieName, StringComparison.Ordinal))
            .ToList();
        session.ShouldNotBeEmpty();

        // B, asked directly, reads it with the key ring both instances keep in the database.
        using var b = portal.CreateInstanceClient("b");
        using var mine = new HttpRequestMessage(HttpMethod.Get, $"/api/checkout/{attemptId}/status");
        mine.Headers.Add("Cookie", string.Join("; ", session.Select(cookie => $"{cookie.Name}={cookie.Value}")));
        using var answer = await b.SendAsync(mine);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, portal.Describe());
        TwoInstancesFixture.AnsweredBy(answer).ShouldBe("b");
        (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attemptId").GetString().ShouldBe(attemptId);

        using var anonymous = await b.GetAsync($"/api/checkout/{attemptId}/status");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    });

    [TwoInstancesFact]
    [KillsAnInstance]
    public async Task Killing_an_instance_in_the_middle_of_a_storm_loses_nothing_acknowledged_and_closes_nothing_twice()
    {
        const int Attempts = 120;
        const int KillAfter = 80;
        // Failures rather than completions: which outcome closes an attempt does not matter here, and failed attempts
        // leave no receipt to fetch from a session the sandbox never saw.
        var seeded = new ConcurrentBag<(string AttemptId, string EventId, string Json)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Attempts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var sessionId = "gs_" + Guid.NewGuid().ToString("n");
            var attemptId = await portal.Store.SeedAttemptAsync("storm", sessionId);
            var eventId = SignedDeliveries.NewEventId();
            seeded.Add((attemptId, eventId, SignedDeliveries.Event(eventId, GateEventTypes.SessionFailed, SignedDeliveries.Session(sessionId, attemptId, "failed"))));
        });

        // 0Gate delivers at least once: every event twice, in no particular order.
        var events = seeded.Select(e => (e.EventId, e.Json)).ToList();
        var storm = events.Concat(events).OrderBy(_ => Random.Shared.Next()).ToList();
        var killed = new StrongBox<bool>(false);
        var answered = 0;
        var answers = await SendThroughNginxAsync(storm, killed, onAnswer: () =>
        {
            if (Interlocked.Increment(ref answered) == KillAfter)
            {
                portal.Kill("b"); // SIGKILL, with deliveries in flight on both instances
                Volatile.Write(ref killed.Value, true);
            }
        });

        Volatile.Read(ref killed.Value).ShouldBeTrue();
        answers.Where(answer => !answer.SentAfterKill).ShouldContain(answer => answer.Instance == "b"); // B was taking deliveries
        var sentAfterKill = answers.Where(answer => answer.SentAfterKill).ToList();
        sentAfterKill.ShouldNotBeEmpty(); // the kill came in the middle of the storm
        sentAfterKill.Where(answer => answer.Acknowledged).ShouldAllBe(answer => answer.Instance == "a");

        // What got no 2xx, 0Gate sends again (signed afresh): nginx has only A left, and A takes it.
        var unacknowledged = answers.Where(answer => !answer.Acknowledged).Select(answer => answer.Delivery).ToList();
        var retries = await SendThroughNginxAsync(unacknowledged, killed, onAnswer: null);
        retries.ShouldAllBe(answer => answer.Acknowledged && answer.Instance == "a", Describe(retries));

        output.WriteLine(
            $"{answers.Count} deliveries: {answers.Count(x => x.Instance == "b")} answered by B, {answers.Count(x => x.SentAfterKill)} sent after the kill, "
            + $"{unacknowledged.Count} without a 2xx, resent to A. {Describe(answers.Where(x => !x.Acknowledged))}");
        // nginx found B gone (refused or cut connections) and passed those deliveries on to A itself.
        portal.NginxErrorLog.ShouldContain(new Uri(portal.InstanceOrigin("b")).Authority);

        var acknowledged = answers.Concat(retries).Where(answer => answer.Acknowledged).Select(answer => answer.Delivery.EventId).ToHashSet();
        acknowledged.SetEquals(events.Select(e => e.EventId)).ShouldBeTrue();
        var eventIds = events.Select(e => e.EventId).ToList();
        var stored = await portal.Store.QueryAsync(db => db.ProcessedEvents.Where(e => eventIds.Contains(e.EventId))
            .GroupBy(e => e.EventId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        stored.Count.ShouldBe(Attempts); // every event stored …
        stored.ShouldAllBe(e => e.Count == 1); // … exactly once
        var attemptIds = seeded.Select(e => e.AttemptId).ToList();
        var closes = await portal.Store.QueryAsync(db => db.Timeline
            .Where(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Failed && attemptIds.Contains(e.AttemptId!))
            .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync());
        closes.Count.ShouldBe(Attempts);
        closes.ShouldAllBe(count => count == 1); // every attempt closed, none twice
    }

    /// <summary>
    /// Sends every delivery through nginx, 12 at a time, each signed when sent, noting whether it was sent after the
    /// kill (<paramref name="killed"/>): those can only have reached A.
    /// </summary>
    private async Task<List<StormAnswer>> SendThroughNginxAsync(List<(string EventId, string Json)> deliveries, StrongBox<bool> killed, Action? onAnswer)
    {
        using var client = portal.CreateProxyClient();
        var answers = new ConcurrentQueue<StormAnswer>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, 12).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var afterKill = Volatile.Read(ref killed.Value);
                StormAnswer answer;
                try
                {
                    using var response = await client.SendAsync(SignedDeliveries.Delivery(deliveries[i].Json));
                    answer = new StormAnswer(deliveries[i], afterKill, response.IsSuccessStatusCode, (int)response.StatusCode, TwoInstancesFixture.AnsweredBy(response));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answer = new StormAnswer(deliveries[i], afterKill, false, null, null); // no answer: 0Gate would retry
                }

                answers.Enqueue(answer);
                onAnswer?.Invoke();
            }
        });
        await Task.WhenAll(senders);
        answers.Count.ShouldBe(deliveries.Count, "The senders ran out of time.");
        return [.. answers];
    }

    private static string Describe(IEnumerable<StormAnswer> answers) =>
        string.Join(", ", answers.Select(answer => $"{answer.Delivery.EventId}: {answer.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no answer"} from {answer.Instance ?? "?"}"));

    private async Task<string> TimelineAsync(string attemptId) =>
        string.Join("\n", await portal.Store.QueryAsync(db => db.Timeline.Where(e => e.AttemptId == attemptId).OrderBy(e => e.Id)
            .Select(e => $"{e.OccurredAt:HH:mm:ss.fff} {e.Kind} {e.FromStatus}->{e.ToStatus} {e.EventType} {e.Summary}").ToListAsync()));

    private Task<int> ClosesAsync(string attemptId, AttemptStatus status) =>
        portal.Store.QueryAsync(db => db.Timeline.CountAsync(e => e.AttemptId == attemptId && e.Kind == TimelineKind.StateChanged && e.ToStatus == status));

    /// <summary>
    /// Runs <paramref name="test"/> on a new page in a fresh context pinned to <paramref name="instance"/>, noting which
    /// instance answered each of the page's requests to nginx. A failure leaves a screenshot and the page's console.
    /// </summary>
    private async Task OnPinnedPageAsync(string instance, Func<IPage, ServedBy, Task> test, [CallerMemberName] string testName = "")
    {
        await using var context = await portal.NewContextPinnedToAsync(instance);
        var page = await context.NewPageAsync();
        var console = new PageConsoleLog(page);
        var servedBy = new ServedBy(page, portal.ProxyOrigin);
        try
        {
            await test(page, servedBy);
        }
        catch (Exception)
        {
            await FailureArtifacts.SaveAsync(page, console, $"{nameof(TwoInstancesTests)}.{testName}");
            output.WriteLine(servedBy.Describe());
            output.WriteLine(portal.Describe());
            throw;
        }
    }

    private async Task SignInAsync(IPage page, string user, string returnUrl)
    {
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.SignInAsync(user);
        await Expect(page).ToHaveURLAsync(portal.ProxyOrigin + returnUrl);
    }

    /// <summary>The start form, its review, then the hosted 0Gate page inside the portal's iframe; returns the attempt id.</summary>
    private static async Task<string> StartBuyAsync(IPage page, string amount)
    {
        await Expect(page.GetByLabel("Amount")).ToBeVisibleAsync();
        await page.GetByLabel("Amount").FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByTestId("review-amount")).ToContainTextAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm buy" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AttemptPage());
        await Expect(Hosted(page).GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeVisibleAsync();
        return AttemptPage().Match(page.Url).Groups["id"].Value;
    }

    private static IFrameLocator Hosted(IPage page) => page.FrameLocator("iframe[data-testid=gate-frame]");

    /// <summary>
    /// Waits at most <paramref name="budget"/> for the outcome message to read <paramref name="message"/>, checking on
    /// every animation frame (web-first assertions back off to checks a second apart, too coarse for this budget).
    /// When the budget runs out it says whether the change came later (by the 3 s poll: the push was lost, or slow).
    /// </summary>
    private static async Task ShowsWithinAsync(IPage page, string message, TimeSpan budget)
    {
        const string Shows = "text => document.querySelector('[data-testid=outcome-message]')?.textContent?.trim() === text";
        try
        {
            await page.WaitForFunctionAsync(Shows, message, new() { Timeout = (float)budget.TotalMilliseconds });
        }
        catch (TimeoutException e)
        {
            var later = Stopwatch.StartNew();
            var cameLater = await page.WaitForFunctionAsync(Shows, message, new() { Timeout = 5_000 })
                .ContinueWith(shown => shown.IsCompletedSuccessfully, TaskScheduler.Default);
            throw new TimeoutException(
                $"The page did not show '{message}' within {budget.TotalMilliseconds:0} ms of the delivery; "
                + (cameLater ? $"it did {later.ElapsedMilliseconds} ms after that." : "nor in the 5 s after that."), e);
        }
    }

    private static async Task ExpectOutcomeAsync(IPage page, string view, string message)
    {
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", view);
        await Expect(page.GetByTestId("outcome-message")).ToHaveTextAsync(message);
    }

    [GeneratedRegex(@"/checkout/(?<id>att_[a-z2-7]{26})$")]
    private static partial Regex AttemptPage();

    private sealed record StormAnswer((string EventId, string Json) Delivery, bool SentAfterKill, bool Acknowledged, int? Status, string? Instance);

    /// <summary>Which instance (<c>X-Portal-Instance</c>) answered each response the page got from nginx's origin.</summary>
    private sealed class ServedBy
    {
        private readonly ConcurrentQueue<(string Path, string Instance)> _responses = new();

        public ServedBy(IPage page, string origin)
        {
            page.Response += (_, response) =>
            {
                if (response.Url.StartsWith(origin + "/", StringComparison.Ordinal))
                {
                    _responses.Enqueue((new Uri(response.Url).AbsolutePath,
                        response.Headers.TryGetValue("x-portal-instance", out var instance) ? instance : "(none)"));
                }
            };
        }

        public IReadOnlyList<string> Instances => [.. _responses.Select(r => r.Instance).Distinct().Order()];

        public IReadOnlyList<string> Paths => [.. _responses.Select(r => r.Path).Distinct()];

        public string Describe() => string.Join("\n", _responses.Select(r => $"{r.Instance} {r.Path}"));
    }
}
