namespace Portal.Core.Gate;

public sealed record GateBlockchain(string? Hash, long? ChainId, string? ExplorerUrl);
