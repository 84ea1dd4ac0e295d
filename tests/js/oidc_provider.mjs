// A real OpenID Provider for the SSO tests: panva's certified oidc-provider on a loopback port.
//
//   node tests/js/oidc_provider.mjs CONFIG.json
//
// CONFIG: {"port", "issuer", "client": {client_id, client_secret, redirect_uris, post_logout_redirect_uris},
//          "jwks": {"keys": [private JWKs]}, "accounts": "path of a JSON file {sub: {email, email_verified, name}}"}
// The accounts file is read on every sign-in, so a test can change someone's email at the provider.
// The sign-in page asks for an email address (no password: the provider is not what is under test) and has a
// "Cancel" button that answers the app with access_denied, as a person refusing consent does.
// Two test-only endpoints let a test play an attacker between the provider and the app:
//   POST /test/next-id-token   (body: a JWT) the next token response carries this ID token instead
//   GET  /test/last-id-token   the last ID token the provider issued
import { readFileSync } from "node:fs";
import Provider from "oidc-provider";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const accounts = () => JSON.parse(readFileSync(config.accounts, "utf8"));

const provider = new Provider(config.issuer, {
  clients: [{ ...config.client, grant_types: ["authorization_code"], response_types: ["code"] }],
  jwks: config.jwks,
  cookies: { keys: ["test-provider-cookie-key"] },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  conformIdTokenClaims: false, // email in the ID token, as Google and Entra ID (with the optional claim) send it
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true }, // so a client that forgets PKCE fails here
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const found = accounts()[sub];
    return found && { accountId: sub, claims: async () => ({ sub, ...found }) };
  },
  // First-party sign-in: no consent screen; the scopes asked for are granted.
  async loadExistingGrant(ctx) {
    const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

const page = (body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>District sign-in</title><style>body{font:18px sans-serif;margin:16px}input,button{font:inherit;` +
  `min-height:44px;width:100%;margin:8px 0}</style></head><body><h1>District sign-in</h1>${body}</body></html>`;

async function formBody(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

let forgedIdToken = null;
let lastIdToken = null;

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login|\/abort)?$/);
  if (ctx.path === "/test/next-id-token" && ctx.method === "POST") {
    let text = "";
    for await (const chunk of ctx.req) text += chunk;
    forgedIdToken = text.trim() || null; // an empty body takes a planned forgery back
    ctx.body = "ok";
    return;
  }
  if (ctx.path === "/test/last-id-token") {
    ctx.body = lastIdToken || "";
    return;
  }
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (match[2] === "/login" && ctx.method === "POST") {
      const email = (await formBody(ctx.req)).get("email") || "";
      const sub = Object.entries(accounts()).find(([, a]) => a.email === email)?.[0];
      if (!sub) {
        ctx.type = "html";
        ctx.body = page(`<p>No district account is ${email.replace(/[<&"]/g, "")}.</p>`);
        return;
      }
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    if (match[2] === "/abort" && ctx.method === "POST") {
      const result = { error: "access_denied", error_description: "End-User aborted interaction" };
      await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
      ctx.respond = false;
      return;
    }
    ctx.type = "html";
    ctx.body = page(
      `<form method="post" action="/interaction/${details.uid}/login"><label>Email<input name="email" type="email" ` +
        `autocomplete="username"></label><button type="submit">Continue</button></form>` +
        `<form method="post" action="/interaction/${details.uid}/abort"><button type="submit">Cancel</button></form>`,
    );
    return;
  }
  await next();
  if (ctx.path === "/token" && ctx.body && ctx.body.id_token) {
    lastIdToken = ctx.body.id_token;
    if (forgedIdToken) {
      ctx.body = { ...ctx.body, id_token: forgedIdToken };
      forgedIdToken = null;
    }
  }
});

provider.listen(config.port, "127.0.0.1", () => console.log(`listening ${config.port}`));
