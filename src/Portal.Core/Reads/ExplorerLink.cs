namespace Portal.Core.Reads;

/// <summary>Where support can check a receipt's on-chain leg: a link, or why there is none.</summary>
public sealed record ExplorerLink(string? Url, string Caption);
