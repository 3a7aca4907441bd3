namespace Portal.Core.Admin;

/// <summary>
/// A bin of the ingest latency histogram (signature time to stored). <paramref name="AxisLabel"/> is the short form
/// under the bar ("ahead", "0–1 s", "&gt; 5 min"), so seven of them fit a card half a screen wide.
/// </summary>
public sealed record LatencyBin(string Label, string AxisLabel, int Count);
