namespace Portal.Core.Gate;

public sealed record GateBank(string? AccountName, string? AccountNumber, string? RoutingNumber, string? BankName);
