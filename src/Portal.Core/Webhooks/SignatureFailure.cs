namespace Portal.Core.Webhooks;

public enum SignatureFailure
{
    None,
    MissingHeader,
    MalformedHeader,
    NoV1Signature,
    TimestampOutOfTolerance,
    NoMatchingSignature,
}
