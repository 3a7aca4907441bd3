using System.Net;
using System.Text;
using Gate.Sandbox.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Receipts;

public static class ReceiptEndpoints
{
    public static IEndpointRouteBuilder MapReceiptEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/transactions/{refid}", GetTransaction).RequireApiKey(KeyKinds.Secret);
        routes.MapGet("/receipts/{refid}", GetPermalinkPage);
        return routes;
    }

    public static async Task<Results<Ok<Receipt>, JsonHttpResult<ErrorEnvelope>>> GetTransaction(
        string refid, ReceiptService receipts, HttpContext context, CancellationToken ct) =>
        await receipts.FindAsync(refid, ct) is { } receipt
            ? TypedResults.Ok(receipt)
            : ApiError.NotFound(context, "transaction_not_found", "No such transaction.");

    /// <summary>No auth: the token is the credential. A wrong token and a missing receipt both answer 404.</summary>
    public static async Task<Results<ContentHttpResult, NotFound>> GetPermalinkPage(
        string refid, string? token, ReceiptService receipts, HttpContext context, CancellationToken ct)
    {
        if (!receipts.IsValidPermalink(refid, token) || await receipts.FindAsync(refid, ct) is not { } r)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var rows = new StringBuilder();
        void Row(string label, string? value)
        {
            if (value is not null)
            {
                rows.Append("<tr><th>").Append(WebUtility.HtmlEncode(label)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
            }
        }

        Row("Reference", r.Refid);
        Row("Action", r.Action);
        Row("Status", r.Status);
        Row("Token", $"{r.TokenAmt} {r.Token} on {r.Network}");
        Row("Amount", $"{r.FiatAmt} {r.Currency}");
        Row("Exchange rate", r.ExchangeRate);
        Row("Fees", r.TotalFees);
        Row(r.Action == "SELL" ? "You receive" : "You pay", r.TotalPayOrReceive);
        Row("Payment method", r.PaymentMethod);
        Row("Wallet", r.UserAddress);
        Row("Bank", r.Bank is null ? null : $"{r.Bank.BankName}, {r.Bank.AccountName}");
        Row("Transaction hash", r.Blockchain?.Hash);
        var explorer = r.Blockchain is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(r.Blockchain.ExplorerUrl)}\" rel=\"noopener noreferrer\">View on explorer</a></p>";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>0Gate sandbox receipt</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem}th{text-align:left;padding-right:1rem}</style></head>
            <body><h1>Receipt</h1><p>Sandbox receipt &mdash; no real money moved.</p><table>{{rows}}</table>{{explorer}}</body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
