using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Support;

/// <summary>Which configured webhook secret verified an event: its fingerprint (never the secret) and where it sits in the configuration.</summary>
public sealed record EventVerification(string Fingerprint, string Secret);
