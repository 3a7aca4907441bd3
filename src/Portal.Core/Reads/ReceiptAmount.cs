
namespace Portal.Core.Reads;

/// <summary>An amount as 0Gate wrote it (a decimal string, never re-rounded) and its currency or token.</summary>
public sealed record ReceiptAmount(string? Amount, string? Unit)
{
    public override string ToString() => Amount is null ? "—" : $"{Amount} {Unit}".TrimEnd();
}
