using Portal.Components.Checkout;
using Portal.Core.Gate;

namespace Portal.Components.Pages;

/// <summary>What the start page shows a signed-in customer: their latest attempts and what 0Gate offers now.</summary>
public sealed record CustomerHome(IReadOnlyList<AttemptListItem> Recent, GateCapabilities Capabilities);
