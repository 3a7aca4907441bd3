namespace Portal.E2E.Infrastructure;

/// <summary>
/// The collection browser tests join with <c>[Collection(PortalE2E.Collection)]</c>: one portal and one Chromium
/// (<see cref="PortalFixture"/>) shared by all of them.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class PortalE2E : ICollectionFixture<PortalFixture>
{
    public const string Collection = "Portal in Chromium";
}
