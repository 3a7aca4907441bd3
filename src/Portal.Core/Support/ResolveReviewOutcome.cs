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

public enum ResolveReviewOutcome
{
    Resolved,

    /// <summary>The flag was already clear: a second click, or a colleague was quicker.</summary>
    AlreadyResolved,

    NoteRequired,

    NotFound,
}
