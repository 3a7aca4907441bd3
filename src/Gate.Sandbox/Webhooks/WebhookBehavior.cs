using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Webhooks;

/// <summary>Failure-mode switches of the deliverer (see docs/sandbox.md).</summary>
public sealed record WebhookBehaviorSettings(int DelayMs, bool Duplicate, int ReorderBatchSize, int ReorderMaxHoldMs, int FailFirst);

public sealed class WebhookBehavior(IOptions<SandboxOptions> options)
{
    private readonly Lock _lock = new();
    private WebhookBehaviorSettings _current = FromOptions(options.Value.Webhooks.Behavior);

    public WebhookBehaviorSettings Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    public WebhookBehaviorSettings Update(Func<WebhookBehaviorSettings, WebhookBehaviorSettings> change)
    {
        lock (_lock)
        {
            _current = change(_current);
            return _current;
        }
    }

    /// <summary>Consumes one simulated failure if any are left.</summary>
    public bool TryTakeSimulatedFailure()
    {
        lock (_lock)
        {
            if (_current.FailFirst <= 0)
            {
                return false;
            }

            _current = _current with { FailFirst = _current.FailFirst - 1 };
            return true;
        }
    }

    private static WebhookBehaviorSettings FromOptions(WebhookBehaviorOptions o) =>
        new(o.DelayMs, o.Duplicate, o.ReorderBatchSize, o.ReorderMaxHoldMs, o.FailFirst);
}
