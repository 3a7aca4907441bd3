using Microsoft.EntityFrameworkCore;

namespace Dev.Identity.Storage;

/// <summary>OpenIddict's applications, authorizations, scopes and tokens, in a throwaway SQLite database.</summary>
public sealed class DevIdentityDbContext(DbContextOptions<DevIdentityDbContext> options) : DbContext(options);
