namespace Portal.Core.Reads;

/// <summary>Which outcome URL the customer arrived on. A routing signal only: it changes what is shown, never the state.</summary>
public enum OutcomeArrival
{
    /// <summary><c>/checkout/{id}/status</c>: the reusable status page (emails, support, refreshes).</summary>
    Status,

    /// <summary><c>/checkout/{id}/return</c>: back from the hosted flow, finished or not.</summary>
    Return,

    /// <summary><c>/checkout/{id}/cancel</c>: the customer left or cancelled the hosted flow.</summary>
    Cancel,
}
