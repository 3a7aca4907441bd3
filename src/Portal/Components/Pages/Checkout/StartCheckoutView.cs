using Portal.Core.Attempts;
using Portal.Core.Gate;

namespace Portal.Components.Pages.Checkout;

/// <summary>What the start page read for a flow: 0Gate's capabilities and, for a chosen flow, why a start would be refused.</summary>
public sealed record StartCheckoutView(CheckoutFlow? Flow, GateCapabilities Capabilities, string? Refusal);
