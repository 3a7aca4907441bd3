using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

public sealed record AttemptStateCount(AttemptStatus Status, int Count)
{
    public string Name => Status.ToWire();
}
