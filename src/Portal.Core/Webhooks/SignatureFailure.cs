using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

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
