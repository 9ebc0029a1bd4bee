//! A session's life on the server: started at sign-in (a row in the store for either
//! strategy), read on every request, saved when it slides or changes, ended at sign-out or
//! revocation.
//!
//! With the `jwt` strategy the cookie is the signed token and the row is only checked every
//! `check_interval` (so revoking reaches the session within that time, at the cost of one
//! lookup per interval per instance). With `database` the cookie is an opaque random value,
//! the row holds the claims, and only the value's hash is stored.

mod confirmed;

use std::sync::Arc;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::{
    AuthConfig, AuthError, Session,
    callbacks::{JwtParams, JwtTrigger},
    clock::{iso8601, now_secs},
    config::SessionStrategy,
    context::RequestContext,
    keys::{Keys, hex, random_hex},
    limits::Limits,
    session::{
        SessionUser,
        jwt::{self, Token, VerifiedTokens},
    },
    store::{SessionRecord, Store, StoreError, User},
};
use confirmed::ConfirmedSessions;

/// The longest `User-Agent` kept with a session.
const MAX_USER_AGENT: usize = 256;
/// `last_seen_at` is written at most this often per session (seconds).
const LAST_SEEN_RESOLUTION: i64 = 60;

fn token_hash(cookie_value: &str) -> String {
    hex(&Sha256::digest(cookie_value.as_bytes()))
}

/// The sessions of one instance: how they are issued, read, slid and ended, with the caches
/// that spare the store and the crypto a visit on every request.
pub(crate) struct Sessions {
    config: Arc<AuthConfig>,
    store: Arc<dyn Store>,
    keys: Keys,
    /// Expired rows are pruned every so many sign-ins, on the limits' schedule.
    limits: Arc<Limits>,
    confirmed: ConfirmedSessions,
    verified: VerifiedTokens,
}

impl Sessions {
    pub(crate) fn new(
        config: Arc<AuthConfig>,
        store: Arc<dyn Store>,
        keys: Keys,
        limits: Arc<Limits>,
    ) -> Self {
        Sessions {
            config,
            store,
            keys,
            limits,
            confirmed: ConfirmedSessions::default(),
            verified: VerifiedTokens::default(),
        }
    }

    fn strategy(&self) -> SessionStrategy {
        self.config.session.strategy
    }

    /// The session token of the request, if it carries a live one. A `database` session
    /// whose store cannot be asked reads as signed out here; [`Sessions::read_session`] tells
    /// the two apart.
    pub(crate) async fn read_token(&self, ctx: &RequestContext) -> Option<Token> {
        self.read_session(ctx).await.unwrap_or_else(|e| {
            if e.retry_after().is_none() {
                tracing::error!(error = %e, "session lookup failed");
            }
            None
        })
    }

    /// The session token of the request: `Ok(None)` when it carries no live one, `Err` when
    /// the store that holds `database` sessions cannot answer (the session may well be
    /// alive: nobody is signed out by an outage). A `jwt` session is trusted on its
    /// signature meanwhile.
    pub(crate) async fn read_session(
        &self,
        ctx: &RequestContext,
    ) -> Result<Option<Token>, StoreError> {
        let Some(cookie) = ctx.cookies.get_chunked(&ctx.jar.session_token()) else {
            return Ok(None);
        };
        let now = now_secs();
        let token = match self.strategy() {
            SessionStrategy::Jwt => {
                let Some(token) = self.verified.decode(&self.keys, &cookie, now) else {
                    return Ok(None);
                };
                if let Some(sid) = &token.sid
                    && !self.jwt_session_alive(sid, now).await
                {
                    return Ok(None);
                }
                token
            }
            SessionStrategy::Database => {
                let record = self
                    .store
                    .session_by_token_hash(&token_hash(&cookie))
                    .await?;
                let Some(record) = record else {
                    return Ok(None);
                };
                if record.expires_at <= now || record.absolute_expires_at <= now {
                    return Ok(None);
                }
                self.note_activity(&record, now).await;
                let Some(mut token) = record
                    .data
                    .as_deref()
                    .and_then(|data| serde_json::from_str::<Token>(data).ok())
                else {
                    return Ok(None);
                };
                token.sid = Some(record.id);
                token.exp = record.expires_at;
                token
            }
        };
        Ok((now < self.absolute_expiry(&token)).then_some(token))
    }

    /// Whether the `jwt` session `sid` still has its row. Asked of the store at most every
    /// `check_interval` per instance; a store that cannot answer lets the (signed, unexpired)
    /// token through, and says so in the log.
    async fn jwt_session_alive(&self, sid: &str, now: i64) -> bool {
        let interval = self.config.session.check_interval.as_secs() as i64;
        if self.confirmed.confirmed_since(sid, now - interval) {
            return true;
        }
        match self.store.session(sid).await {
            Ok(Some(record)) if record.expires_at > now && record.absolute_expires_at > now => {
                self.confirmed.confirm(sid, now);
                self.note_activity(&record, now).await;
                true
            }
            Ok(_) => {
                self.confirmed.forget(sid);
                false
            }
            // Unless this instance saw the session end, the signed token is trusted while the
            // store cannot answer (the breaker said so once already when it went down).
            Err(_) if self.confirmed.ended(sid) => false,
            Err(e) if e.retry_after().is_some() => true,
            Err(e) => {
                tracing::error!(error = %e, "session check failed; the token is trusted meanwhile");
                true
            }
        }
    }

    /// Moves `last_seen_at` forward, at most once a minute per session.
    async fn note_activity(&self, record: &SessionRecord, now: i64) {
        if now - record.last_seen_at < LAST_SEEN_RESOLUTION {
            return;
        }
        if let Err(e) = self
            .store
            .touch_session(&record.id, now, record.expires_at, None)
            .await
        {
            tracing::warn!(error = %e, "could not record session activity");
        }
    }

    /// When the session ends however active it is: `absolute_max_age` after sign-in.
    pub(crate) fn absolute_expiry(&self, token: &Token) -> i64 {
        let signed_in = token.auth_time.unwrap_or(token.iat);
        signed_in.saturating_add(self.config.session.absolute_max_age.as_secs() as i64)
    }

    /// Whether the user behind `token` proved who they are within `fresh_age`
    /// (docs/architecture.md › Fresh sessions): a borrowed, already-open session cannot
    /// change how the account signs in.
    pub(crate) fn is_fresh(&self, token: &Token) -> bool {
        let verified = token.verified_at.or(token.auth_time).unwrap_or(token.iat);
        now_secs() - verified <= self.config.session.fresh_age.as_secs() as i64
    }

    /// The token of a new sign-in, with a fresh session id.
    pub(crate) fn new_token(&self, user: &User) -> Token {
        let now = now_secs();
        Token {
            sub: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            picture: user.image.clone(),
            iat: now,
            exp: now + self.config.session.max_age.as_secs() as i64,
            jti: random_hex(16),
            auth_time: Some(now),
            verified_at: Some(now),
            sid: Some(random_hex(16)),
            extra: Map::new(),
        }
    }

    /// Restarts the token's lifetime (sliding expiry).
    pub(crate) fn refresh_token_times(&self, token: &mut Token) {
        let now = now_secs();
        token.auth_time = Some(token.auth_time.unwrap_or(token.iat));
        token.iat = now;
        token.exp =
            (now + self.config.session.max_age.as_secs() as i64).min(self.absolute_expiry(token));
        token.jti = random_hex(16);
    }

    /// Whether the token is old enough for `GET /session` to re-issue it.
    pub(crate) fn refresh_due(&self, token: &Token) -> bool {
        now_secs() - token.iat >= self.config.session.update_age.as_secs() as i64
    }

    /// Stores the session of a new sign-in and returns its `Set-Cookie` values. The row is
    /// what makes the session listable and revocable, whatever the strategy.
    pub(crate) async fn start_session(
        &self,
        ctx: &RequestContext,
        token: &Token,
    ) -> Result<Vec<String>, AuthError> {
        let now = now_secs();
        let sid = token.sid.clone().ok_or(AuthError::Configuration)?;
        let cookie_value = match self.strategy() {
            SessionStrategy::Jwt => None,
            SessionStrategy::Database => Some(random_hex(32)),
        };
        let record = SessionRecord {
            id: sid,
            user_id: token.sub.clone(),
            token_hash: cookie_value.as_deref().map(token_hash),
            data: match self.strategy() {
                SessionStrategy::Jwt => None,
                SessionStrategy::Database => Some(token_json(token)?),
            },
            created_at: now,
            last_seen_at: now,
            expires_at: token.exp,
            absolute_expires_at: self.absolute_expiry(token),
            user_agent: ctx
                .user_agent
                .as_deref()
                .map(|ua| ua.chars().take(MAX_USER_AGENT).collect()),
            ip: ctx.client_ip.map(|ip| ip.to_string()),
        };
        self.store.create_session(&record).await.map_err(|e| {
            tracing::error!(error = %e, "could not store the new session");
            AuthError::Configuration
        })?;
        // Every so many sign-ins, expired sessions (and counters) are deleted.
        self.limits.maybe_prune_expired(now).await;
        let value = match cookie_value {
            Some(value) => value,
            None => self.encode(token)?,
        };
        Ok(self.session_cookie(ctx, &value, token.exp))
    }

    /// Saves a changed or slid session and returns its `Set-Cookie` values.
    pub(crate) async fn save_session(
        &self,
        ctx: &RequestContext,
        token: &Token,
    ) -> Result<Vec<String>, AuthError> {
        match self.strategy() {
            SessionStrategy::Jwt => {
                let jwt = self.encode(token)?;
                // The row slides with the token, or the session would end at its first
                // expiry however active it is.
                if let Some(sid) = &token.sid
                    && let Err(e) = self
                        .store
                        .touch_session(sid, now_secs(), token.exp, None)
                        .await
                {
                    tracing::warn!(error = %e, "could not slide the session row");
                }
                Ok(self.session_cookie(ctx, &jwt, token.exp))
            }
            SessionStrategy::Database => {
                let sid = token.sid.as_deref().ok_or(AuthError::Configuration)?;
                let value = ctx
                    .cookies
                    .get_chunked(&ctx.jar.session_token())
                    .ok_or(AuthError::SessionRequired)?;
                self.store
                    .touch_session(sid, now_secs(), token.exp, Some(&token_json(token)?))
                    .await
                    .map_err(|e| {
                        tracing::error!(error = %e, "could not save the session");
                        AuthError::Configuration
                    })?;
                Ok(self.session_cookie(ctx, &value, token.exp))
            }
        }
    }

    /// Ends the request's session: deletes its row (so its id, or a copy of its JWT, no
    /// longer works anywhere) and returns the `Set-Cookie` values that clear it.
    pub(crate) async fn end_session(&self, ctx: &RequestContext) -> Vec<String> {
        self.end_session_row(ctx).await;
        ctx.jar
            .expire_chunked(&ctx.jar.session_token(), &ctx.cookies)
    }

    /// Deletes the row of the request's session, if it has one, leaving its cookie to be
    /// cleared or replaced by the caller.
    pub(crate) async fn end_session_row(&self, ctx: &RequestContext) {
        if let Some(token) = self.read_token(ctx).await
            && let Some(sid) = &token.sid
        {
            if let Err(e) = self.store.delete_session(&token.sub, sid).await {
                tracing::error!(error = %e, "could not delete the session row");
            }
            self.confirmed.forget(sid);
        }
    }

    /// Signs `token` with the current secret: the value of a `jwt` session cookie.
    pub(crate) fn encode(&self, token: &Token) -> Result<String, AuthError> {
        jwt::encode(&self.keys, token).map_err(|e| {
            tracing::error!("cannot sign the session token: {e}");
            AuthError::Configuration
        })
    }

    /// `sid` ended elsewhere (revoked): this instance stops trusting its token at once.
    pub(crate) fn forget(&self, sid: &str) {
        self.confirmed.forget(sid);
    }

    /// Runs the `jwt` callback: how an app shapes the token at sign-in, update and read.
    pub(crate) async fn run_jwt_callback(
        &self,
        token: Token,
        trigger: JwtTrigger,
        user: Option<&User>,
        session_update: Option<&Value>,
    ) -> Token {
        let params = JwtParams {
            trigger,
            user,
            session_update,
        };
        self.config.callbacks.jwt(token, params).await
    }

    /// The session the client sees for `token`, through the `session` callback.
    pub(crate) async fn session_from_token(&self, token: &Token) -> Session {
        let session = Session {
            user: SessionUser {
                name: token.name.clone(),
                email: token.email.clone(),
                image: token.picture.clone(),
                extra: Map::new(),
            },
            expires: iso8601(token.exp),
            // The Auth.js convention for a failed provider token refresh.
            extra: token
                .extra
                .get("error")
                .map(|e| ("error".to_owned(), e.clone()))
                .into_iter()
                .collect(),
        };
        let session = self.config.callbacks.session(session, token).await;
        self.config.events.session(&session).await;
        session
    }

    fn session_cookie(&self, ctx: &RequestContext, value: &str, expires_at: i64) -> Vec<String> {
        let max_age = (expires_at - now_secs()).max(0) as u64;
        ctx.jar
            .set_chunked(&ctx.jar.session_token(), value, max_age, &ctx.cookies)
    }
}

fn token_json(token: &Token) -> Result<String, AuthError> {
    serde_json::to_string(token).map_err(|e| {
        tracing::error!(error = %e, "cannot serialise the session");
        AuthError::Configuration
    })
}
