namespace Portal.Core.Admin;

/// <summary>Attempts started in the window and how far they got: a session attached (the hosted flow opened), closed, fulfilled.</summary>
public sealed record AttemptFunnel(int Started, int Hosted, int Closed, int Fulfilled);
