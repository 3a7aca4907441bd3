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
