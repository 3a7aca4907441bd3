using Portal.Components.Checkout;
using Portal.Core.Gate;

namespace Portal.Components.Pages;

/// <summary>What the start page shows a signed-in customer: their latest attempts and what 0Gate offers now.</summary>
/// <remarks>The account id binds it to its customer: the circuit takes it back only for the same signed-in customer.</remarks>
public sealed record CustomerHome(string AccountId, IReadOnlyList<AttemptListItem> Recent, GateCapabilities Capabilities);
