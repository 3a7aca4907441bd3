using System.ComponentModel.DataAnnotations;

namespace Gate.Sandbox;

/// <summary>Everything the sandbox reads from configuration section <c>Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Where Kestrel listens, e.g. http://localhost:5081 (port 0 picks a free port).</summary>
    [Required]
    public string Url { get; set; } = "http://localhost:5081";

    /// <summary>Public origin used in permalinks; defaults to the address Kestrel bound.</summary>
    public string? PublicUrl { get; set; }

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/sandbox.db";

    /// <summary>Session lifetime before lazy expiry (default 24 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Keys the embed token and receipt permalinks. Empty: a random secret is generated once
    /// and kept in the sandbox store, so permalinks stay stable across restarts.
    /// </summary>
    public string? ServerSecret { get; set; }

    [Required]
    public PartnerOptions Partner { get; set; } = new();

    public CapabilityToggles Disabled { get; set; } = new();

    public QuotaOptions Quota { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();
}

public sealed class PartnerOptions
{
    public string Id { get; set; } = "ptn_sandbox";

    [Required, RegularExpression("^sk_(test|live)_[A-Za-z0-9_]+$", ErrorMessage = "Sandbox:Partner:SecretKey must look like sk_test_…")]
    public string SecretKey { get; set; } = "";

    [Required, RegularExpression("^pk_(test|live)_[A-Za-z0-9_]+$", ErrorMessage = "Sandbox:Partner:PublishableKey must look like pk_test_…")]
    public string PublishableKey { get; set; } = "";

    [Required, RegularExpression("^whsec_[A-Za-z0-9_]+$", ErrorMessage = "Sandbox:Partner:WebhookSecret must look like whsec_…")]
    public string WebhookSecret { get; set; } = "";

    /// <summary>Where events are POSTed; empty means events are recorded but not delivered.</summary>
    public string? WebhookUrl { get; set; }

    public string[] AllowedDomains { get; set; } = [];

    public bool KycTrusted { get; set; }
}

/// <summary>Capabilities switched off (e.g. <c>Sandbox:Disabled:Flows:0 = swap</c>).</summary>
public sealed class CapabilityToggles
{
    public string[] Flows { get; set; } = [];
    public string[] Currencies { get; set; } = [];
    public string[] Tokens { get; set; } = [];
    public string[] Networks { get; set; } = [];
}

public sealed class QuotaOptions
{
    /// <summary>Sessions the partner may create; 0 = unlimited.</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }

    /// <summary>Share of the limit at which <c>partner.quota.warning</c> fires.</summary>
    [Range(0.01, 1.0)]
    public double WarningRatio { get; set; } = 0.8;
}

public sealed class WebhookOptions
{
    /// <summary>First retry waits this long; each next retry doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Initial failure-mode switches; also changeable at runtime (PUT /v1/sandbox/webhook_behavior).</summary>
    public WebhookBehaviorOptions Behavior { get; set; } = new();
}

public sealed class WebhookBehaviorOptions
{
    /// <summary>Hold every new delivery this long before the first attempt.</summary>
    [Range(0, 86_400_000)]
    public int DelayMs { get; set; }

    /// <summary>Deliver every event twice (same event id, same body).</summary>
    public bool Duplicate { get; set; }

    /// <summary>Hold new deliveries until this many are waiting, then send them newest first (0 or 1 = off).</summary>
    [Range(0, 1000)]
    public int ReorderBatchSize { get; set; }

    /// <summary>A held reorder batch is released after this long even if it is not full.</summary>
    [Range(1, 3_600_000)]
    public int ReorderMaxHoldMs { get; set; } = 10_000;

    /// <summary>The next N delivery attempts fail with a simulated HTTP 500 (nothing is sent).</summary>
    [Range(0, 10_000)]
    public int FailFirst { get; set; }
}
