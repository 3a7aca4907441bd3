using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Attempts;

namespace Portal.Checkout;

public sealed record CheckoutStatusResponse(string AttemptId, string Status, string View, bool CanRetry, int? NextPollMs, DateTimeOffset CreatedAt, string Message);
