// Local OpenID provider for the integration tests (Rust tests and Playwright).
//
// Runs panva's certified `oidc-provider` (8.x) plus a few fake "GitHub" and
// "Spotify" resource endpoints on one plain node http server, so every test
// can sign in against a real, spec-compliant OP without touching the network.
//
//   node end2end/oidc/provider.mjs
//
// Environment (all optional):
//   OIDC_PORT               port on 127.0.0.1 (default 3200); issuer http://127.0.0.1:<port>
//   OIDC_CLIENT_ID          confidential client id (default leptos-auth-test), registered as
//                           client_secret_basic; "<OIDC_CLIENT_ID>-post" is registered as
//                           client_secret_post (both clients accept both methods)
//   OIDC_CLIENT_SECRET      secret of both clients (default leptos-auth-test-secret)
//   OIDC_REDIRECT_URIS      comma-separated redirect URIs of both clients
//   OIDC_ACCESS_TOKEN_TTL   access token lifetime in seconds (default 5)
//   OIDC_EXTRA_SCOPES       extra scopes to accept, comma/space separated
//   OIDC_ID_TOKEN_CLAIMS    "1": also put the scope claims (email, name, picture) into the
//                           ID token. Unset, the provider keeps its default, conforming
//                           behaviour (OIDC Core §5.4): in the code flow they are only
//                           returned by the UserInfo endpoint.
//
// Prints exactly one stdout line, `oidc-provider listening on http://127.0.0.1:<port>`,
// once it accepts connections; anything else goes to stderr.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

// oidc-provider prints "NOTICE" lines to stdout (console.info) and dev-only
// "WARNING" lines to stderr (console.warn) for things that are deliberate here
// (in-memory adapter, devInteractions, default renderError...). The tests read
// stdout, so drop them. Must be installed before the provider is imported.
for (const level of ['info', 'warn']) {
  const original = console[level].bind(console);
  console[level] = (first, ...rest) => {
    if (typeof first === 'string' && /^(\x1b\[[\d;]*m)?oidc-provider (NOTICE|WARNING):/.test(first)) return;
    original(first, ...rest);
  };
}

const { default: Provider, interactionPolicy } = await import('oidc-provider');

const PORT = Number.parseInt(process.env.OIDC_PORT || '3200', 10);
const ISSUER = `http://127.0.0.1:${PORT}`;
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'leptos-auth-test';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'leptos-auth-test-secret';
const REDIRECT_URIS = (process.env.OIDC_REDIRECT_URIS
  || ['oidc', 'github', 'spotify', 'google'].map((p) => `http://127.0.0.1:3100/api/auth/callback/${p}`).join(','))
  .split(',').map((s) => s.trim()).filter(Boolean);
const ACCESS_TOKEN_TTL = Number.parseInt(process.env.OIDC_ACCESS_TOKEN_TTL || '5', 10);

// Scopes the provider does not know are silently dropped, so the provider
// scopes of GitHub and Spotify have to be declared to reach the access token.
const SCOPES = [
  'openid', 'offline_access', 'email', 'profile',
  'read:user', 'user:email', 'user-top-read', 'user-read-email', 'user-read-private',
  ...(process.env.OIDC_EXTRA_SCOPES || '').split(/[\s,]+/).filter(Boolean),
];

const capitalise = (login) => login.charAt(0).toUpperCase() + login.slice(1);
const avatarUrl = (login) => `${ISSUER}/avatars/${encodeURIComponent(login)}.png`;

// Fresh signing key per run: nothing persists between test runs anyway, and it
// avoids oidc-provider's shared development key.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

// The consent prompt must never stop a flow: drop the check that forces it on
// `prompt=consent` (Google-style `access_type=offline&prompt=consent`); the
// remaining checks are satisfied by loadExistingGrant below.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('consent_prompt');

const baseClient = {
  client_secret: CLIENT_SECRET,
  redirect_uris: REDIRECT_URIS,
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
};

const provider = new Provider(ISSUER, {
  // oidc-provider 8 accepts client_secret_basic AND client_secret_post for a
  // client registered with either, so both clients take both; the "-post" one
  // only differs in its registered metadata, for tests that want it explicitly.
  clients: [
    { ...baseClient, client_id: CLIENT_ID, token_endpoint_auth_method: 'client_secret_basic' },
    { ...baseClient, client_id: `${CLIENT_ID}-post`, token_endpoint_auth_method: 'client_secret_post' },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  responseTypes: ['code'], // code flow only; hides implicit/hybrid from discovery
  scopes: SCOPES,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'picture'],
  },
  // Default (true): scope claims only from UserInfo. Some providers put them into the
  // ID token as well; OIDC_ID_TOKEN_CLAIMS=1 behaves like those.
  ...(process.env.OIDC_ID_TOKEN_CLAIMS === '1' ? { conformIdTokenClaims: false } : {}),
  features: {
    // Built-in login form: any login, any password; the login is the account id.
    devInteractions: { enabled: true },
  },
  interactions: { policy },
  pkce: { required: () => true, methods: ['S256'] },
  clockTolerance: 0,
  ttl: { AccessToken: ACCESS_TOKEN_TTL, IdToken: 3600 },
  // Refresh tokens without offline_access (which oidc-provider drops unless
  // prompt=consent is sent), rotated on every use.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  // Do not tie tokens to the browser session: a later sign-in of another user
  // in the same browser must not invalidate tokens the app already holds.
  expiresWithSession: async () => false,
  // Auto-consent: (re)use the session's grant and add whatever is requested now.
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    const grant = (grantId && await oidc.provider.Grant.find(grantId))
      || new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId });
    grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
    if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          email: `${sub}@example.com`,
          email_verified: true,
          name: capitalise(sub),
          picture: avatarUrl(sub),
        };
      },
    };
  },
});

// The built-in HTML pages @import a Google web font; strip it so a browser on
// the login page never reaches beyond 127.0.0.1.
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
  }
});

provider.on('server_error', (ctx, err) => console.error('oidc-provider server_error:', err));
// Client-facing errors (e.g. invalid_grant) hide their cause in the response;
// OIDC_DEBUG=1 prints it, to debug a failing test.
if (process.env.OIDC_DEBUG) {
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error']) {
    provider.on(event, (ctx, err) => console.error(`oidc-provider ${event}: ${err.message} (${err.error_detail || err.error_description || ''})`));
  }
}

// Test hook counters, see /__test/stats.
const stats = { refreshGrants: 0, codeGrants: 0 };
provider.on('grant.success', (ctx) => {
  const grantType = ctx.oidc.params.grant_type;
  if (grantType === 'refresh_token') stats.refreshGrants += 1;
  if (grantType === 'authorization_code') stats.codeGrants += 1;
});

// ---- fake GitHub / Spotify resource servers ------------------------------

const ARTISTS = [
  ['Test Artist One', ['indie rock', 'dream pop'], 81],
  ['Test Artist Two', ['synthwave'], 74],
  ['Test Artist Three', ['jazz', 'nu jazz'], 66],
  ['Test Artist Four', ['hip hop'], 59],
  ['Test Artist Five', ['classical', 'minimalism'], 52],
  ['Test Artist Six', ['folk'], 45],
].map(([name, genres, popularity], i) => ({
  id: `artist${i + 1}`,
  name,
  genres,
  popularity,
  images: [{ url: `${ISSUER}/avatars/artist${i + 1}.png`, height: 64, width: 64 }],
}));

// 1x1 transparent PNG, so avatar URLs handed out above do not 404.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

// Returns the login behind a valid (known, unexpired) access token, or null.
async function bearerLogin(req) {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
  if (!match) return null;
  const token = await provider.AccessToken.find(match[1]);
  return token?.accountId ?? null;
}

// GET handlers keyed by path; each receives (login, url).
const resources = {
  // GitHub: numeric id = sum of the login's char codes; logins starting with
  // "private" hide their email, to exercise the /user/emails fallback.
  '/user': (login) => ({
    id: [...login].reduce((sum, c) => sum + c.charCodeAt(0), 0),
    login,
    name: capitalise(login),
    email: login.startsWith('private') ? null : `${login}@example.com`,
    avatar_url: avatarUrl(login),
  }),
  '/user/emails': (login) => [
    { email: `${login}-secondary@example.com`, primary: false, verified: true },
    { email: `${login}@example.com`, primary: true, verified: true },
  ],
  // Spotify
  '/v1/me': (login) => ({
    id: login,
    display_name: capitalise(login),
    email: `${login}@example.com`,
    images: [{ url: avatarUrl(login) }],
  }),
  '/v1/me/top/artists': (login, url) => {
    const parsed = Number.parseInt(url.searchParams.get('limit') ?? '', 10);
    const limit = Number.isNaN(parsed) ? 20 : Math.min(Math.max(parsed, 0), 50);
    return {
      items: ARTISTS.slice(0, limit),
      total: ARTISTS.length,
      limit,
      time_range: url.searchParams.get('time_range') || 'medium_term',
    };
  },
};

const oidcCallback = provider.callback();

async function handle(req, res) {
  const url = new URL(req.url, ISSUER);

  if (url.pathname === '/__test/stats' && req.method === 'GET') return sendJson(res, 200, stats);
  if (url.pathname === '/__test/reset' && req.method === 'POST') {
    stats.refreshGrants = 0;
    stats.codeGrants = 0;
    return sendJson(res, 200, stats);
  }
  if (url.pathname.startsWith('/avatars/') && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'image/png' });
    return res.end(PNG);
  }
  const resource = resources[url.pathname];
  if (resource && req.method === 'GET') {
    const login = await bearerLogin(req);
    if (!login) return sendJson(res, 401, { message: 'Bad credentials' });
    return sendJson(res, 200, resource(login, url));
  }

  return oidcCallback(req, res);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error('oidc test server error:', err);
    if (!res.headersSent) sendJson(res, 500, { message: 'internal error' });
    else res.destroy();
  });
});

server.on('error', (err) => {
  console.error(`oidc-provider failed to listen on ${ISSUER}:`, err.message);
  process.exit(1);
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${ISSUER}`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive sockets would otherwise delay close
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
