namespace Portal.Core.Admin;

/// <summary>A bin of the ingest latency histogram (signature time to stored).</summary>
public sealed record LatencyBin(string Label, int Count);
