namespace Portal.Core.Reads;

/// <summary>
/// The explorer link support follows for a receipt. A live receipt links where 0Gate says (its <c>explorer_url</c>).
/// A test-mode (sandbox) receipt names a mainnet explorer, where the hash does not exist, so the link is rebuilt on
/// the network's test explorer from the hash; for a network without one known here the page says so instead.
/// </summary>
public static class ReceiptExplorer
{
    private static readonly Dictionary<string, string> TestExplorers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ethereum"] = "https://sepolia.etherscan.io",
        ["polygon"] = "https://amoy.polygonscan.com",
        ["base"] = "https://sepolia.basescan.org",
        ["arbitrum"] = "https://sepolia.arbiscan.io",
        ["optimism"] = "https://sepolia-optimism.etherscan.io",
    };

    public static ExplorerLink For(string environment, string? network, string? transactionHash, string? explorerUrl)
    {
        if (string.IsNullOrEmpty(transactionHash))
        {
            return new(null, "no on-chain transaction on the receipt yet");
        }

        if (environment != "test")
        {
            return explorerUrl is null ? new(null, "0Gate gave no explorer link") : new(explorerUrl, "on the network's explorer");
        }

        return network is not null && TestExplorers.TryGetValue(network, out var explorer) && IsHex(transactionHash)
            ? new($"{explorer}/tx/{transactionHash}", $"on {network}'s test explorer (test mode: a sandbox hash may not be found there)")
            : new(null, $"test mode: no test explorer known for {network ?? "this network"}");
    }

    private static bool IsHex(string hash) =>
        hash.StartsWith("0x", StringComparison.Ordinal) && hash.Length <= 130 && hash[2..].All(Uri.IsHexDigit);
}
