using Microsoft.Extensions.Options;

namespace Portal.Core.Admin;

/// <summary>Start-up validation naming the keys at fault.</summary>
public sealed class IntegrationAlertOptionsValidator : IValidateOptions<IntegrationAlertOptions>
{
    public ValidateOptionsResult Validate(string? name, IntegrationAlertOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static IEnumerable<string> Problems(IntegrationAlertOptions o)
    {
        const string Section = IntegrationAlertOptions.Section;
        if (o.RejectedSpikeWindow <= TimeSpan.Zero || o.RejectedSpikeBaseline <= TimeSpan.Zero
            || o.DeliveriesStoppedAfter <= TimeSpan.Zero || o.DeliveriesStoppedLookback < o.DeliveriesStoppedAfter)
        {
            yield return $"{Section}: RejectedSpikeWindow, RejectedSpikeBaseline and DeliveriesStoppedAfter must be positive, DeliveriesStoppedLookback at least DeliveriesStoppedAfter.";
        }

        if (o.RejectedSpikeMinimum < 1 || o.RejectedSpikeFactor < 1)
        {
            yield return $"{Section}: RejectedSpikeMinimum and RejectedSpikeFactor must be at least 1.";
        }
    }
}
