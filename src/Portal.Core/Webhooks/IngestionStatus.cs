namespace Portal.Core.Webhooks;

/// <summary>How a verified delivery ended, which decides the HTTP answer (200, or 503 so 0Gate retries).</summary>
public enum IngestionStatus
{
    /// <summary>First delivery of this event id: stored (and applied where due).</summary>
    Processed,

    /// <summary>This event id was processed before: nothing changed.</summary>
    Duplicate,

    /// <summary>The store could not commit in time: 0Gate should retry.</summary>
    StorageUnavailable,
}
