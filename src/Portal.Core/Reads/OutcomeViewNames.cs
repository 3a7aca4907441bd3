namespace Portal.Core.Reads;

public static class OutcomeViewNames
{
    public static string ToWire(this OutcomeView view) => view switch
    {
        OutcomeView.NotFinished => "requires_action",
        OutcomeView.VerificationRequired => "verification_required",
        OutcomeView.Processing => "processing",
        OutcomeView.Success => "success",
        OutcomeView.Failed => "failed",
        OutcomeView.Expired => "expired",
        OutcomeView.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
    };
}
