using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>
/// The former sign-in test host, now the one <see cref="PortalAppFactory"/> (which mints sessions with
/// <see cref="PortalAppFactory.SignedInClientAsync"/>). Kept only so tests written against the old name, on branches
/// not yet merged, still build; new tests use <see cref="PortalAppFactory"/>. Delete once nothing refers to it.
/// </summary>
public sealed class PortalAuthFactory : PortalAppFactory;
