using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Dev.Identity.Account;

/// <summary>A self-contained HTML login form: the in-process host has no static web assets.</summary>
internal static class LoginPage
{
    public const string WrongCredentialsMessage = "Wrong username or password.";

    public static string Render(AntiforgeryTokenSet antiforgery, string returnUrl, string? userName, string? error)
    {
        var html = HtmlEncoder.Default;
        var errorBlock = error is null
            ? ""
            : $"""<p class="error" role="alert">{html.Encode(error)}</p>""";

        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8" />
              <meta name="viewport" content="width=device-width, initial-scale=1" />
              <title>Sign in - development identity provider</title>
              <style>
                body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
                main { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
                label { display: block; margin-top: 1rem; font-weight: 600; }
                input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
                button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #594ae2; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
                .error { color: #b00020; font-weight: 600; }
                .hint { color: #666; font-size: .85rem; margin-top: 1.5rem; }
              </style>
            </head>
            <body>
              <main>
                <h1>Sign in</h1>
                <p>Development identity provider for the 0Gate partner portal.</p>
                {{errorBlock}}
                <form method="post" action="/account/login">
                  <input type="hidden" name="{{html.Encode(antiforgery.FormFieldName)}}" value="{{html.Encode(antiforgery.RequestToken ?? "")}}" />
                  <input type="hidden" name="returnUrl" value="{{html.Encode(returnUrl)}}" />
                  <label for="username">Username</label>
                  <input id="username" name="username" autocomplete="username" required autofocus value="{{html.Encode(userName ?? "")}}" />
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required />
                  <button type="submit">Sign in</button>
                </form>
                <p class="hint">Users: alice, bob (customers), sam (support), ada (admin).</p>
              </main>
            </body>
            </html>
            """;
    }
}
