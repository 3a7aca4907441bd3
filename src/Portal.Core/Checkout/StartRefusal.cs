
namespace Portal.Core.Checkout;

/// <summary>Why no checkout can start now, said before the customer confirms (and before any attempt or session exists).</summary>
public sealed record StartRefusal(string Reason, string Message);
