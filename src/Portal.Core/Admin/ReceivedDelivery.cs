using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

/// <summary>A delivery the portal received: the first one of an event id (with how it was handled) or a repeat.</summary>
public sealed record ReceivedDelivery(DateTimeOffset ReceivedAt, string EventId, string EventType, bool Duplicate, string? Outcome);
