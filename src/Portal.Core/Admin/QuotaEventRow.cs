using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Support;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

public sealed record QuotaEventRow(string EventId, string EventType, DateTimeOffset ReceivedAt);
