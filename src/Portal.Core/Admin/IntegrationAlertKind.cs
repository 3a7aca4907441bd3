using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

public enum IntegrationAlertKind
{
    RejectedSignaturesSpike,
    DeliveriesStopped,
    GateUnreachable,
    QuotaExhausted,
    QuotaWarning,
    ConfirmingTooLong,
    StoreWritesFailing,
    OwnOriginNotAllowed,
}
