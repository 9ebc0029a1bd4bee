//! A sign-in between its two factors. When the first factor was right and the account has
//! two-factor sign-in, no session is issued: the browser gets a pending state instead — a
//! cookie, sealed with the site's secret, that lives `two_factor_timeout` (5 minutes) and
//! names the user, the provider and where to go — and the page that asks for the code.
//!
//! It cannot be used as a session (it is another cookie, read only here), nor in another
//! browser (it is bound to the hash of the browser's CSRF token, which the code's POST must
//! carry), and it allows five attempts: a store counter per pending state, shared by every
//! instance, counts them and, locked, marks the state used once it succeeded.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::TwoFactorError;
use crate::{
    Auth, AuthError, ClientIp,
    clock::now_secs,
    context::RequestContext,
    error::Failure,
    keys::{hex, random_hex, secrets_match},
    limits::LimitedAction,
    providers::Provider,
    session::csrf,
    sign_in::SignedIn,
    store::User,
};

/// The field the pending state is sealed under: a sealed value of another field does not
/// open as one.
const SEALED_FIELD: &str = "two-factor-pending";
/// Codes tried per pending sign-in before it is void.
const MAX_ATTEMPTS: u32 = 5;

/// What the pending cookie carries.
#[derive(Serialize, Deserialize)]
struct Pending {
    user: String,
    provider: String,
    new_user: bool,
    callback_url: Option<String>,
    /// SHA-256 of the browser's CSRF token.
    browser: String,
    expires: i64,
}

/// The key of the attempts counter of the pending state `handle`.
fn counter_key(handle: &str) -> String {
    format!("two-factor-pending:{handle}")
}

impl Auth {
    /// Before a session is issued to `user`: when the account has two-factor sign-in and
    /// this browser is not trusted for it, the pending state and the page that asks for the
    /// code instead. Passkey sign-ins are exempt: a user-verified passkey is two factors
    /// already (the device, and the fingerprint or PIN that unlocks it).
    pub(crate) async fn second_factor_gate(
        &self,
        ctx: &RequestContext,
        user: &User,
        provider_id: &str,
        is_new_user: bool,
        callback_url: Option<&str>,
    ) -> Result<Option<SignedIn>, Failure> {
        if matches!(self.provider(provider_id), Some(Provider::Passkey(_))) {
            return Ok(None);
        }
        let record = self
            .enabled_factor(&user.id)
            .await
            .map_err(|e| Failure::new(AuthError::Configuration, e))?;
        let Some(record) = record else {
            return Ok(None);
        };
        if self.device_trusted(ctx, user, &record).await {
            return Ok(None);
        }
        let (csrf_token, csrf_cookie) = self.csrf_token(ctx);
        let handle = random_hex(16);
        let timeout = self.config().session.two_factor_timeout.as_secs().max(1);
        let pending = Pending {
            user: user.id.clone(),
            provider: provider_id.to_owned(),
            new_user: is_new_user,
            callback_url: callback_url.map(str::to_owned),
            browser: browser_binding(&csrf_token),
            expires: now_secs() + timeout as i64,
        };
        let json = serde_json::to_string(&pending)
            .map_err(|e| Failure::new(AuthError::Configuration, e))?;
        let sealed = self.keys().seal(SEALED_FIELD, &handle, &json);
        let mut cookies = vec![ctx.jar.set(
            &ctx.jar.two_factor_pending(),
            &format!("{handle}.{sealed}"),
            Some(timeout),
        )];
        cookies.extend(csrf_cookie);
        let page = match self.config().pages.two_factor.as_deref() {
            Some(page) => page.to_owned(),
            None => self.paths().two_factor(),
        };
        Ok(Some(SignedIn {
            cookies,
            url: self.absolute_url(ctx, &page),
            second_factor_pending: true,
        }))
    }

    /// Whether this browser has a sign-in waiting for its second factor.
    pub(crate) fn has_pending_second_factor(&self, ctx: &RequestContext) -> bool {
        self.pending_of(ctx).is_some()
    }

    /// Completes the browser's pending sign-in with `code` (authenticator or backup code):
    /// the session, through the common completion, and with `trust_device` the cookie that
    /// spares this browser the second factor for `trusted_device_age`.
    pub(crate) async fn verify_second_factor(
        &self,
        ctx: &RequestContext,
        code: &str,
        trust_device: bool,
    ) -> Result<SignedIn, TwoFactorError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::SignIn)
            .await?;
        let (handle, pending) = self.pending_of(ctx).ok_or(TwoFactorError::Expired)?;
        let key = counter_key(&handle);
        let now = now_secs();
        // Counting the attempt also answers whether the state is used up (locked).
        let attempts = self
            .store()
            .count_event(&key, now, (pending.expires - now).max(1))
            .await?;
        if attempts.locked_until > now || attempts.count > MAX_ATTEMPTS {
            return Err(TwoFactorError::Expired);
        }
        let user = self
            .store()
            .user_by_id(&pending.user)
            .await?
            .ok_or(TwoFactorError::Expired)?;
        // Turned off meanwhile (by an admin, say): the sign-in starts over.
        let record = self
            .enabled_factor(&user.id)
            .await?
            .ok_or(TwoFactorError::Expired)?;
        if let Err(refused) = self.prove_second_factor(ctx, &user, &record, code).await {
            if attempts.count >= MAX_ATTEMPTS {
                self.store().lock_counter(&key, pending.expires).await?;
                tracing::info!("a pending sign-in had its last attempt");
            }
            return Err(refused);
        }
        // Used: a copy of the cookie signs nobody in, on any instance.
        self.store().lock_counter(&key, pending.expires).await?;
        let mut signed_in = self
            .finish_sign_in(
                ctx,
                &user,
                &pending.provider,
                pending.new_user,
                pending.callback_url.as_deref(),
            )
            .await
            .map_err(|failure| TwoFactorError::SignIn(failure.log(&pending.provider)))?;
        signed_in
            .cookies
            .push(ctx.jar.expire(&ctx.jar.two_factor_pending()));
        if trust_device && let Some(cookie) = self.trusted_device_cookie(ctx, &user, &record).await
        {
            signed_in.cookies.push(cookie);
        }
        Ok(signed_in)
    }

    /// The browser's pending state and its handle: sealed by us, not expired, and issued to
    /// this browser (its CSRF token).
    fn pending_of(&self, ctx: &RequestContext) -> Option<(String, Pending)> {
        let value = ctx.cookies.get(&ctx.jar.two_factor_pending())?;
        let (handle, sealed) = value.split_once('.')?;
        let json = self.keys().open(SEALED_FIELD, handle, sealed)?;
        let pending: Pending = serde_json::from_str(&json).ok()?;
        if pending.expires <= now_secs() {
            return None;
        }
        let csrf_token = ctx
            .cookies
            .get(&ctx.jar.csrf_token())
            .and_then(|value| csrf::token_from_cookie(self.keys(), value))?;
        if !secrets_match(&browser_binding(&csrf_token), &pending.browser) {
            tracing::warn!("a pending sign-in came from another browser");
            return None;
        }
        Some((handle.to_owned(), pending))
    }
}

/// What binds a pending state to the browser it was issued to.
fn browser_binding(csrf_token: &str) -> String {
    hex(&Sha256::digest(csrf_token.as_bytes()))
}
