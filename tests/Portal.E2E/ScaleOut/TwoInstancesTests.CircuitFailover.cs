using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Gate;

namespace Portal.E2E.ScaleOut;

/// <summary>A customer whose page lives on an instance that dies (issue 20, case 2).</summary>
public sealed partial class TwoInstancesTests
{
    /// <summary>
    /// The page's circuit is in B's memory when B is killed. Blazor's reconnect goes through nginx, which now sends it to
    /// A; A does not know the circuit and rejects it, so the page reloads from A, signed in (the key ring is shared), and
    /// shows the state stored meanwhile.
    /// </summary>
    [TwoInstancesFact]
    [KillsAnInstance]
    public Task A_customer_whose_instance_dies_reconnects_to_the_other_and_sees_the_right_state() => OnPinnedPageAsync("b", async (page, servedBy) =>
    {
        await portal.EnsureRunningAsync("b");
        await SignInAsync(page, "alice", "/checkout/new?flow=on_ramp");
        var attemptId = await StartBuyAsync(page, "44");
        var sandbox = portal.Sandbox;
        await sandbox.HoldDeliveriesAsync(); // the completion is delivered by the test, after the kill
        try
        {
            await Hosted(page).GetByRole(AriaRole.Button, new() { Name = "Complete" }).ClickAsync();
            await Expect(page).ToHaveURLAsync($"{portal.ProxyOrigin}/checkout/{attemptId}/return");
            await page.WaitForCircuitAsync();
            await ExpectOutcomeAsync(page, "processing", Processing);
            servedBy.Instances.ShouldBe(["b"], servedBy.Describe());

            portal.Kill("b");
            var sessionId = await portal.Store.QueryAsync(db => db.Attempts.Where(a => a.Id == attemptId).Select(a => a.GateSessionId).SingleAsync());
            var completed = SignedDeliveries.Event(SignedDeliveries.NewEventId(), GateEventTypes.SessionCompleted, await sandbox.GetSessionAsync(sessionId!));
            using var a = portal.CreateInstanceClient("a");
            using (var delivered = await a.SendAsync(SignedDeliveries.Delivery(completed)))
            {
                delivered.StatusCode.ShouldBe(HttpStatusCode.OK, portal.Describe());
            }

            // Reconnect, rejection, reload: from A, still signed in, showing what was stored while B was dead.
            await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "success", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("outcome-message")).ToHaveTextAsync(Complete);
            await Expect(page).ToHaveURLAsync($"{portal.ProxyOrigin}/checkout/{attemptId}/return");
            servedBy.Instances.ShouldContain("a", servedBy.Describe());
        }
        finally
        {
            await sandbox.ReleaseDeliveriesAsync();
            await portal.EnsureRunningAsync("b"); // the storm test after this one needs both
        }
    });
}
