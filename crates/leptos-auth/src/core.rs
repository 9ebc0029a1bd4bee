//! [`Auth`]: the running authentication layer (configuration, store, keys) and what every
//! action shares: the request's site URL and cookies, issuing and reading sessions, replies.

use std::sync::Arc;

use axum::http::{HeaderMap, request::Parts};
use url::Url;

use crate::{
    AuthConfig, AuthError, ClientIp,
    audit::{Audit, AuditEvent, RECENT_EVENTS},
    callbacks::JwtTrigger,
    context::RequestContext,
    keys::Keys,
    limits::{LimitedAction, Limits, TooManyAttempts},
    paths::AuthPaths,
    provider_client::ProviderClient,
    session::{
        cookies::{CookieJar, RequestCookies},
        csrf,
        jwt::Token,
    },
    session_lifecycle::Sessions,
    store::{AuditRecord, CircuitBreaker, SealedAccounts, Store, User},
};

/// The authentication layer, ready to serve: cheap to clone, shared by every request.
///
/// A facade (docs/architecture.md › Layers): the subsystems below it own their state (the
/// sessions and their caches, the limits and their blocks, the audit log, the providers'
/// endpoints); the flows above it (sign-in, OAuth, the mail flows) are `impl Auth` blocks in
/// their own modules.
#[derive(Clone)]
pub struct Auth {
    inner: Arc<Inner>,
}

struct Inner {
    config: Arc<AuthConfig>,
    store: Arc<dyn Store>,
    /// The same store below the breaker, for the token migration.
    sealed: Arc<SealedAccounts>,
    keys: Keys,
    paths: AuthPaths,
    /// The origin of `AUTH_URL`, worked out once.
    origin: Option<Url>,
    sessions: Sessions,
    limits: Arc<Limits>,
    audit: Audit,
    providers: ProviderClient,
}

impl Auth {
    /// Puts a configuration and a store together. Provider tokens the store keeps are
    /// encrypted with a key derived from the secret (`AUTH_SECRET_1`… still decrypt).
    ///
    /// # Panics
    /// When the configuration has no secret ([`AuthConfig::from_env`] guarantees one).
    pub fn new(config: AuthConfig, store: Arc<dyn Store>) -> Self {
        assert!(
            !config.secrets.is_empty(),
            "AuthConfig needs at least one secret"
        );
        let keys = Keys::derive(&config.secrets);
        let paths = AuthPaths::new(config.base_path.clone());
        let origin = config.url.as_ref().map(|url| {
            let mut origin = url.clone();
            origin.set_path("/");
            origin.set_query(None);
            origin.set_fragment(None);
            origin
        });
        // Provider tokens are encrypted at rest whatever store the app brings, and a store
        // found unreachable is not asked again for a moment (requests fail fast meanwhile).
        let sealed = Arc::new(SealedAccounts::new(store.clone(), keys.clone()));
        let store: Arc<dyn Store> = Arc::new(CircuitBreaker::new(
            store,
            sealed.clone(),
            config.database_retry_interval,
        ));
        let config = Arc::new(config);
        let limits = Arc::new(Limits::new(
            config.rate_limits.clone(),
            config.mail_limit.clone(),
            config.lockout.clone(),
            config.audit_retention,
            store.clone(),
        ));
        let providers = config.providers.iter().map(|p| p.id().to_owned()).collect();
        let audit = Audit::new(store.clone(), limits.clone(), providers);
        let sessions = Sessions::new(config.clone(), store.clone(), keys.clone(), limits.clone());
        Auth {
            inner: Arc::new(Inner {
                paths,
                config,
                store,
                sealed,
                keys,
                origin,
                sessions,
                limits,
                audit,
                providers: ProviderClient::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &AuthConfig {
        &self.inner.config
    }

    /// The paths of the `/api/auth` endpoints under the configured base path.
    pub fn paths(&self) -> &AuthPaths {
        &self.inner.paths
    }

    /// The store (users, accounts, sessions).
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// Encrypts the provider tokens that an earlier version stored in clear, or bound to
    /// their field only, so that each is bound to its account (a value copied to another row
    /// does not decrypt there); how many accounts changed. Until this has run, such tokens
    /// read as absent and their users sign in with the provider again. Idempotent, and one
    /// read of the accounts when there is nothing left to do: run it at start-up.
    pub async fn migrate_stored_tokens(&self) -> Result<usize, crate::store::StoreError> {
        self.inner.sealed.migrate().await
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    /// How the server reaches OAuth providers: HTTP client, discovered endpoints, keys.
    pub(crate) fn provider_client(&self) -> &ProviderClient {
        &self.inner.providers
    }

    /// Rate limits, lockouts and mail budgets.
    pub(crate) fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Issuing, reading, sliding and ending sessions.
    pub(crate) fn sessions(&self) -> &Sessions {
        &self.inner.sessions
    }

    /// Records `event` for the request `ctx` in the audit log; never fails (a store error is
    /// logged).
    pub(crate) async fn audit(
        &self,
        ctx: &RequestContext,
        user_id: Option<&str>,
        event: AuditEvent,
        provider: Option<&str>,
    ) {
        self.inner.audit.record(ctx, user_id, event, provider).await;
    }

    /// Records `event` done to `user_id` by an administrator (the CLI), with no request.
    pub(crate) async fn audit_admin(&self, user_id: &str, event: AuditEvent) {
        self.inner.audit.record_admin(user_id, event).await;
    }

    /// Counts one request of `action` from `ip` against the per-IP limit; `Err` when the
    /// address has used up its budget for the current window. Always `Ok` when the limits
    /// are off or the address is unknown. A database failure lets the request through (the
    /// lockout still guards accounts) and is logged.
    ///
    /// The auth endpoints call this themselves; call it from an app's own endpoints that
    /// an attacker could abuse (the demo's sign-up does).
    pub async fn rate_limit(
        &self,
        ip: ClientIp,
        action: LimitedAction,
    ) -> Result<(), TooManyAttempts> {
        self.limits().rate_limit(ip, action).await
    }

    /// Signs `user` in: the `Set-Cookie` values of a fresh session (stored, listable,
    /// revocable), built through the `jwt` callback with `trigger`. For flows that end
    /// outside the REST endpoints (sign-up).
    pub async fn issue_session(
        &self,
        request: &Parts,
        user: &User,
        trigger: JwtTrigger,
    ) -> Result<Vec<String>, AuthError> {
        let ctx = self.context_of(request);
        let sessions = self.sessions();
        let token = sessions.new_token(user);
        let token = sessions
            .run_jwt_callback(token, trigger, Some(user), None)
            .await;
        let cookies = sessions.start_session(&ctx, &token).await?;
        let event = match trigger {
            JwtTrigger::SignUp => AuditEvent::SignUp,
            _ => AuditEvent::SignIn,
        };
        self.audit(&ctx, Some(&user.id), event, Some("credentials"))
            .await;
        Ok(cookies)
    }

    /// Signs a session token with the current secret: the value of a session cookie. For
    /// tools that mint sessions (tests, admin impersonation); sign-in does this itself.
    pub fn encode_session_token(&self, token: &Token) -> Result<String, AuthError> {
        self.sessions().encode(token)
    }

    /// Re-issues the request's session with `error` set (e.g. `RefreshTokenError`), so
    /// `use_session()` can tell the user to sign in with the provider again. `Set-Cookie`
    /// values, empty when signed out.
    pub async fn flag_session_error(&self, headers: &HeaderMap, error: &str) -> Vec<String> {
        let ctx = self.context(headers);
        let Some(mut token) = self.sessions().read_token(&ctx).await else {
            return Vec::new();
        };
        token.extra.insert("error".into(), error.into());
        self.sessions()
            .save_session(&ctx, &token)
            .await
            .unwrap_or_default()
    }

    /// Ends the session of the request with these headers (its row is deleted, so no copy of
    /// it works anywhere); the `Set-Cookie` values that clear it.
    pub async fn clear_session(&self, headers: &HeaderMap) -> Vec<String> {
        self.sessions().end_session(&self.context(headers)).await
    }

    /// The public origin of the site for this request (`AUTH_URL`, or the request's host).
    pub fn site_url(&self, headers: &HeaderMap) -> Url {
        self.base_url(headers)
    }

    /// The request's CSRF token, or a new one with the `Set-Cookie` value to send.
    pub fn csrf_token_for(&self, headers: &HeaderMap) -> (String, Option<String>) {
        self.csrf_token(&self.context(headers))
    }

    /// [`Auth::context`] with the client address resolved too.
    pub(crate) fn context_of(&self, request: &Parts) -> RequestContext {
        let mut ctx = self.context(&request.headers);
        ctx.client_ip = ClientIp::of(&self.config().trusted_proxies, request).0;
        ctx
    }

    pub(crate) fn context(&self, headers: &HeaderMap) -> RequestContext {
        let base_url = self.base_url(headers);
        let secure = self
            .config()
            .use_secure_cookies
            .unwrap_or(base_url.scheme() == "https");
        RequestContext {
            jar: CookieJar::new(&self.config().cookie_prefix, secure),
            cookies: RequestCookies::from_headers(headers),
            base_url,
            user_agent: headers
                .get(axum::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            client_ip: None,
            language: self.config().languages.for_request(headers),
        }
    }

    /// The site's origin: `AUTH_URL` when set; else the `Host` header, or the forwarded
    /// host and protocol when `trust_host` is on.
    fn base_url(&self, headers: &HeaderMap) -> Url {
        if let Some(origin) = &self.inner.origin {
            return origin.clone();
        }
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let forwarded_host = self
            .config()
            .trust_host
            .then(|| header("x-forwarded-host"))
            .flatten();
        let (scheme, host) = match forwarded_host {
            Some(host) => (header("x-forwarded-proto").unwrap_or("https"), Some(host)),
            None => ("http", header("host")),
        };
        let scheme = if scheme == "https" { "https" } else { "http" };
        host.and_then(|host| Url::parse(&format!("{scheme}://{host}/")).ok())
            .filter(|url| url.path() == "/" && url.username().is_empty())
            .unwrap_or_else(|| Url::parse("http://localhost/").expect("valid URL"))
    }

    /// Absolute URL of a path on the site: `absolute_url(ctx, &auth.paths().sign_in())`.
    pub(crate) fn absolute_url(&self, ctx: &RequestContext, path: &str) -> String {
        let origin = ctx.base_url.as_str().trim_end_matches('/');
        format!("{origin}{path}")
    }

    /// `requested` when the redirect rule lets it be followed, else `None`: a rejected
    /// `callbackUrl` is dropped, never forwarded.
    pub(crate) fn allowed_callback_url(
        &self,
        ctx: &RequestContext,
        requested: Option<&str>,
    ) -> Option<String> {
        let requested = requested.filter(|u| !u.is_empty())?;
        crate::redirect::allowed_redirect(requested, &ctx.base_url).map(|_| requested.to_owned())
    }

    /// Runs the `redirect` callback on what the client asked for (or the site root).
    pub(crate) async fn redirect_target(
        &self,
        ctx: &RequestContext,
        requested: Option<&str>,
    ) -> String {
        let requested = requested
            .filter(|u| !u.is_empty())
            .unwrap_or(ctx.base_url.as_str());
        self.config()
            .callbacks
            .redirect(requested, &ctx.base_url)
            .await
    }

    // ---- CSRF ----------------------------------------------------------------------------

    /// The CSRF token of the request's cookie, or a new one with the cookie to set.
    pub(crate) fn csrf_token(&self, ctx: &RequestContext) -> (String, Option<String>) {
        let name = ctx.jar.csrf_token();
        if let Some(token) = ctx
            .cookies
            .get(&name)
            .and_then(|v| csrf::token_from_cookie(self.keys(), v))
        {
            return (token, None);
        }
        let (token, value) = csrf::new_token(self.keys());
        (token.clone(), Some(ctx.jar.set(&name, &value, None)))
    }

    /// Whether a submitted `csrfToken` matches the request's genuine CSRF cookie.
    pub(crate) fn csrf_valid(&self, ctx: &RequestContext, submitted: Option<&str>) -> bool {
        let cookie_token = ctx
            .cookies
            .get(&ctx.jar.csrf_token())
            .and_then(|v| csrf::token_from_cookie(self.keys(), v));
        match (submitted, cookie_token) {
            (Some(submitted), Some(cookie_token)) => csrf::tokens_match(submitted, &cookie_token),
            _ => false,
        }
    }

    // ---- the audit log ------------------------------------------------------------------

    /// The request's user's most recent security events, newest first.
    /// `SessionRequired` when signed out.
    pub async fn recent_security_events(
        &self,
        headers: &axum::http::HeaderMap,
    ) -> Result<Vec<AuditRecord>, AuthError> {
        let token = self
            .sessions()
            .read_token(&self.context(headers))
            .await
            .ok_or(AuthError::SessionRequired)?;
        self.store()
            .audit_events(Some(&token.sub), RECENT_EVENTS)
            .await
            .map_err(|e| {
                e.log("could not read the audit log");
                AuthError::Configuration
            })
    }

    /// Records `event` of `user_id` for `request` (its address and user agent), for the
    /// security actions an app performs itself, e.g. unlinking an account. Never fails: a
    /// store error is logged.
    pub async fn record_audit_event(
        &self,
        request: &axum::http::request::Parts,
        user_id: Option<&str>,
        event: AuditEvent,
        provider: Option<&str>,
    ) {
        let ctx = self.context_of(request);
        self.audit(&ctx, user_id, event, provider).await;
    }
}
