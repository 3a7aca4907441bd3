namespace Portal.Core.Admin;

/// <summary>One aggregate row: a bucket (time bucket or histogram bin), a key (outcome, reason) and a count.</summary>
internal sealed class BucketCount
{
    public long Bucket { get; set; }

    public string Key { get; set; } = string.Empty;

    public long Count { get; set; }
}
