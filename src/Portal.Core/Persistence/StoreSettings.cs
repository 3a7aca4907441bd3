namespace Portal.Core.Persistence;

/// <summary>The store as configured: <c>Store:Provider</c> and <c>ConnectionStrings:Portal</c>.</summary>
public sealed record StoreSettings(StoreProvider Provider, string ConnectionString, bool MigrateOnStart);
