using System.Net;
using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Embed;

/// <summary>
/// The hosted checkout page, served from code (the in-process host has no static assets).
/// Framing is limited by <c>Content-Security-Policy: frame-ancestors</c> = the partner's allowed domains.
/// Outcome messages go to the embedding origin only, which must be an allowed domain; never to "*".
/// </summary>
public static class HostedPage
{
    private sealed record PageConfig(string Pk, IReadOnlyList<string> Allowed, string? Origin);

    public static ContentHttpResult Render(HttpContext context, PartnerState partner, string? pk, string? origin)
    {
        var settings = partner.Settings;
        var nonce = Ids.New("", 16);
        var ancestors = settings.AllowedDomains.Count == 0 ? "'none'" : string.Join(' ', settings.AllowedDomains);
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; " +
            $"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";

        if (!EmbedEndpoints.IsPublishableKey(partner, pk))
        {
            return TypedResults.Content(Page(nonce, "<p role=\"alert\">This checkout cannot be shown: the publishable key (pk) is missing or unknown.</p>", null),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        if (origin is not null && !settings.AllowedDomains.Contains(origin))
        {
            return TypedResults.Content(Page(nonce, "<p role=\"alert\">This checkout cannot be shown: the origin is not an allowed domain.</p>", null),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var config = JsonSerializer.Serialize(new PageConfig(pk!, settings.AllowedDomains, origin), SandboxJson.Options);
        return TypedResults.Content(Page(nonce, Body, Script.Replace("__CONFIG__", config, StringComparison.Ordinal)), "text/html; charset=utf-8");
    }

    private static string Page(string nonce, string body, string? script) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>0Gate sandbox checkout</title>
        <style nonce="{{nonce}}">
          body { font-family: system-ui, sans-serif; margin: 1rem; color: #1b1b1f; }
          .badge { display: inline-block; background: #ffe08a; padding: .1rem .5rem; border-radius: .3rem; font-size: .8rem; }
          .panel { border: 1px dashed #999; padding: .75rem; margin-top: 1rem; }
          .panel button { margin: .25rem; padding: .4rem .9rem; }
        </style>
        </head>
        <body>
        <span class="badge">Sandbox</span>
        {{body}}
        {{(script is null ? "" : $"<script nonce=\"{WebUtility.HtmlEncode(nonce)}\">{script}</script>")}}
        </body>
        </html>
        """;

    private const string Body = """
        <h1>0Gate checkout</h1>
        <p id="summary" aria-live="polite">Loading checkout…</p>
        <dl id="details" hidden>
          <dt>Flow</dt><dd id="flow"></dd>
          <dt>Amount</dt><dd id="amount"></dd>
          <dt>Receive</dt><dd id="target"></dd>
        </dl>
        <section class="panel" aria-label="Tester panel" id="panel" hidden>
          <h2>Tester panel</h2>
          <button type="button" data-action="complete">Complete</button>
          <button type="button" data-action="fail">Fail</button>
          <button type="button" data-action="cancel">Cancel</button>
          <button type="button" data-action="require_verification">Require verification</button>
        </section>
        <p id="status" role="status"></p>
        """;

    private const string Script = """
        (() => {
          const cfg = __CONFIG__;
          const flowNames = { on_ramp: "Buy", off_ramp: "Sell", swap: "Swap" };
          const messages = { complete: "0gate.completed", fail: "0gate.failed", cancel: "0gate.cancelled", require_verification: "0gate.verification_required" };
          const statusText = { completed: "Checkout completed.", failed: "Checkout failed.", cancelled: "Checkout cancelled.", expired: "This session expired." };
          const $ = (id) => document.getElementById(id);
          const secret = new URLSearchParams(location.hash.slice(1)).get("client_secret");
          // Keep the client secret out of history and out of any later referrer.
          history.replaceState(null, "", location.pathname + location.search);

          function embeddingOrigin() {
            if (window.parent === window) return null;
            if (cfg.origin) return cfg.allowed.includes(cfg.origin) ? cfg.origin : null;
            const ancestors = location.ancestorOrigins;
            if (ancestors && ancestors.length > 0) return cfg.allowed.includes(ancestors[0]) ? ancestors[0] : null;
            try {
              const ref = document.referrer ? new URL(document.referrer).origin : null;
              return ref && cfg.allowed.includes(ref) ? ref : null;
            } catch { return null; }
          }
          const target = embeddingOrigin();
          function notify(type, sessionId) {
            if (target) window.parent.postMessage({ type, session_id: sessionId }, target);
          }

          async function call(path, init) {
            const res = await fetch(path, init);
            const body = await res.json().catch(() => ({}));
            if (!res.ok) throw new Error((body.error && body.error.message) || ("HTTP " + res.status));
            return body;
          }

          let token = null;
          function render(s) {
            $("summary").textContent = s.status === "open" ? "Review your checkout." : (statusText[s.status] || s.status);
            $("flow").textContent = flowNames[s.flow] || s.flow;
            $("amount").textContent = s.amount + " " + s.currency;
            $("target").textContent = [s.target_token || "any token", s.target_network ? "on " + s.target_network : ""].join(" ").trim();
            $("details").hidden = false;
            $("panel").hidden = s.status !== "open";
          }

          async function act(action) {
            document.querySelectorAll("#panel button").forEach(b => b.disabled = true);
            try {
              const s = await call("/v1/embed/session/" + action, { method: "POST", headers: { "X-Embed-Token": token } });
              render(s);
              $("status").textContent = action === "require_verification" ? "Verification required." : (statusText[s.status] || "");
              notify(messages[action], s.id);
            } catch (e) {
              $("status").textContent = e.message;
            } finally {
              document.querySelectorAll("#panel button").forEach(b => b.disabled = false);
            }
          }
          document.querySelectorAll("#panel button").forEach(b => b.addEventListener("click", () => act(b.dataset.action)));

          (async () => {
            if (!secret) { $("summary").textContent = "This checkout link is incomplete (no client secret)."; return; }
            try {
              const boot = await call("/v1/embed/bootstrap", {
                method: "POST",
                headers: { "Authorization": "Bearer " + cfg.pk, "Content-Type": "application/json" },
                body: JSON.stringify({ client_secret: secret })
              });
              token = boot.embed_token;
              render(await call("/v1/embed/session", { headers: { "X-Embed-Token": token } }));
            } catch (e) {
              $("summary").textContent = e.message;
            }
          })();
        })();
        """;
}
