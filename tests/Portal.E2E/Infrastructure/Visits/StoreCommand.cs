namespace Portal.E2E.Infrastructure.Visits;

/// <summary>One command a portal context sent to the store: its SQL and its parameter values.</summary>
public sealed record StoreCommand(string Sql, string Parameters)
{
    public override string ToString() => Parameters.Length == 0 ? Sql : $"{Sql}\n      with {Parameters}";
}
