namespace Portal.Core.Records;

public static class JobKinds
{
    /// <summary>Read a fulfilled attempt's receipt from 0Gate and store it.</summary>
    public const string FetchReceipt = "fetch_receipt";

    /// <summary>Email the customer that their attempt closed (fulfilled, failed, expired, cancelled).</summary>
    public const string EmailClosed = "email_closed";

    /// <summary>Email the customer that 0Gate asked them to verify their identity.</summary>
    public const string EmailVerification = "email_verification";
}
