using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;

namespace Portal.E2E.Infrastructure;

public static class PortalServerCheckouts
{
    /// <summary>An open attempt of <paramref name="customer"/> with a 0Gate session at the sandbox, made the way the start form makes it.</summary>
    public static async Task<CheckoutAttempt> StartCheckoutAsync(this PortalServer server, string customer)
    {
        ArgumentNullException.ThrowIfNull(server);
        await using var scope = server.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync(customer,
            new StartCheckout(CheckoutFlow.OnRamp, "12.5", "EUR", "USDC", "polygon", null, Guid.NewGuid()), new Uri(server.BaseUrl + "/"), CancellationToken.None);
        started.Problem.ShouldBeNull();
        return started.Attempt!;
    }
}
