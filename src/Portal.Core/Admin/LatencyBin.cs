using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

/// <summary>A bin of the ingest latency histogram (signature time to stored).</summary>
public sealed record LatencyBin(string Label, int Count);
