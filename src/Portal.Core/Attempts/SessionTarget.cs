namespace Portal.Core.Attempts;

/// <summary>Where the attempt's 0Gate session is created: the environment and the portal origin the customer returns to.</summary>
public sealed record SessionTarget(string Environment, Uri PortalBase);
