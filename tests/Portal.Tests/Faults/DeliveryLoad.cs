using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Faults;

/// <summary>One answer to one delivery, as 0Gate's webhook worker would see it.</summary>
internal sealed record DeliveryAnswer(string EventId, int Status, TimeSpan Took, TimeSpan At, string? Instance, bool RetryAfter, string? Detail = null);

/// <summary>
/// Signed deliveries sent at a steady rate (like 0Gate's worker under load), each on its own, each freshly signed:
/// every answer is kept (status, time taken, which instance, Retry-After), and a transport failure counts as status 0.
/// </summary>
internal static class DeliveryLoad
{
    public static async Task<List<DeliveryAnswer>> SendAsync(
        HttpClient client, IReadOnlyList<(string EventId, string Json)> deliveries, int perSecond, Func<int, Task>? onSent = null)
    {
        var answers = new ConcurrentBag<DeliveryAnswer>();
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>(deliveries.Count);
        for (var i = 0; i < deliveries.Count; i++)
        {
            // Paced by the clock, not by answers: a slow answer does not slow 0Gate's worker down.
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            inFlight.Add(SendOneAsync(client, deliveries[i], clock, answers));
            if (onSent is not null)
            {
                await onSent(i + 1);
            }
        }

        await Task.WhenAll(inFlight);
        return [.. answers.OrderBy(a => a.At)];
    }

    public static async Task<DeliveryAnswer> SendOneAsync(HttpClient client, (string EventId, string Json) delivery, Stopwatch clock, ConcurrentBag<DeliveryAnswer>? answers = null)
    {
        var started = clock.Elapsed;
        DeliveryAnswer answer;
        try
        {
            using var response = await client.SendAsync(TestWebhookSigner.SignedDelivery(delivery.Json, PortalAppFactory.WebhookSecret));
            var status = (int)response.StatusCode;
            var detail = status is 200 or 503 ? null : await response.Content.ReadAsStringAsync();
            answer = new(delivery.EventId, status, clock.Elapsed - started, clock.Elapsed,
                response.Headers.TryGetValues("X-Portal-Instance", out var names) ? names.Single() : null,
                response.Headers.RetryAfter is not null, detail is { Length: > 300 } ? detail[..300] : detail);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            answer = new(delivery.EventId, 0, clock.Elapsed - started, clock.Elapsed, null, false, ex.GetBaseException().Message);
        }

        answers?.Add(answer);
        return answer;
    }

    /// <summary>0Gate's retries: whatever got no 200 is sent again until it does (bounded), 16 at a time.</summary>
    public static async Task<List<DeliveryAnswer>> RetryUntilAcknowledgedAsync(
        HttpClient client, IReadOnlyList<(string EventId, string Json)> deliveries, IEnumerable<DeliveryAnswer> answers, TimeSpan timeout)
    {
        var acknowledged = answers.Where(a => a.Status == 200).Select(a => a.EventId).ToHashSet();
        var pending = deliveries.Where(d => !acknowledged.Contains(d.EventId)).DistinctBy(d => d.EventId).ToList();
        var retries = new ConcurrentBag<DeliveryAnswer>();
        var clock = Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{pending.Count} deliveries were still not acknowledged after {timeout.TotalSeconds:0} s of retries.");
            }

            var round = new ConcurrentBag<DeliveryAnswer>();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (delivery, _) =>
                round.Add(await SendOneAsync(client, delivery, clock)));
            foreach (var answer in round)
            {
                retries.Add(answer);
            }

            var done = round.Where(a => a.Status == 200).Select(a => a.EventId).ToHashSet();
            pending = [.. pending.Where(d => !done.Contains(d.EventId))];
        }

        return [.. retries];
    }

    /// <summary>e.g. "1200 sent: 200 x1150, 503 x50 (all with Retry-After)".</summary>
    public static string Describe(IReadOnlyCollection<DeliveryAnswer> answers) =>
        string.Create(CultureInfo.InvariantCulture, $"{answers.Count} sent: ")
        + string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} x{g.Count()}")
            + (g.Key == 503 ? string.Create(CultureInfo.InvariantCulture, $" ({g.Count(a => a.RetryAfter)} with Retry-After, slowest {g.Max(a => a.Took).TotalSeconds:0.0} s)") : "")
            + (g.Key is not (200 or 503) && g.First().Detail is { } detail ? $" (e.g. \"{detail}\")" : "")));

    public static bool IsStatus(this DeliveryAnswer answer, HttpStatusCode status) => answer.Status == (int)status;
}
