using System.Text.Json.Serialization;

namespace Portal.Core.Gate;

public sealed record GateBlockchain(string? Hash, long? ChainId, string? ExplorerUrl);
