//! Passkeys (docs/architecture.md › Passkeys): WebAuthn discoverable credentials as a sign-in
//! method of their own. A ceremony is two requests — its options, then the browser's answer —
//! whose state travels sealed with the options and back with the answer, and is used once
//! through a five-minute store row (`ceremony.rs`). Adding a passkey or signing up with one is
//! `registration.rs`, signing in `sign_in.rs`, listing, renaming and deleting `manage.rs`. The
//! checks themselves (origin, RP ID, challenge, signature, user verification, counter) are
//! webauthn-rs's.

mod ceremony;
mod manage;
mod registration;
mod sign_in;

pub(crate) use registration::Registered;

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{Url, Uuid, Webauthn, WebauthnBuilder};

use crate::{
    Auth, AuthError, context::RequestContext, limits::TooManyAttempts, providers::Passkey,
    store::StoreError,
};

/// Why a passkey request was refused. The messages are fit to show; every code is stable
/// (`code`), and none is a 5xx but `Unavailable` (the store is down).
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    /// The passkey provider is not configured, or the site is on an IP address (browsers
    /// refuse WebAuthn there).
    #[error("Passkeys are not available on this site.")]
    NotAvailable,
    /// The body is not what the endpoint reads (missing fields, malformed credential).
    #[error("The request is malformed.")]
    InvalidRequest,
    /// The answer names no ceremony, or one that expired (5 minutes) or was answered
    /// already.
    #[error("This passkey request expired. Please try again.")]
    ChallengeExpired,
    /// The browser's answer did not verify: another origin or RP ID, another challenge, a
    /// bad signature, no user verification, an unknown, deleted or cloned credential.
    #[error("The passkey could not be verified.")]
    VerificationFailed,
    /// Not signed in.
    #[error("Please sign in again.")]
    SessionRequired,
    /// Adding a passkey needs a recent sign-in.
    #[error("Please confirm it is you, then try again.")]
    SessionNotFresh,
    /// The credential is registered already.
    #[error("This passkey is registered already.")]
    AlreadyRegistered,
    /// The account has as many passkeys as it may have.
    #[error("This account cannot have more passkeys.")]
    TooManyPasskeys,
    /// No passkey of this user has that id.
    #[error("No such passkey.")]
    NotFound,
    /// Passkey sign-up without a valid email address.
    #[error("Please enter a valid email address.")]
    InvalidEmail,
    /// Passkey sign-up with an address that has an account already.
    #[error("An account with this email already exists.")]
    EmailTaken,
    /// A passkey name must be 1 to 64 characters.
    #[error("The name must be between 1 and 64 characters.")]
    InvalidName,
    /// Removing the password of an account that has no passkey to sign in with.
    #[error("Add a passkey before removing the password.")]
    NoPasskey,
    /// Too many attempts from this address.
    #[error("{}", .0.code.user_message_after(Some(.0.retry_after.as_secs())))]
    TooManyAttempts(TooManyAttempts),
    /// The sign-in was refused after the passkey verified (the `sign_in` callback, …).
    #[error("{}", .0.user_message())]
    SignIn(AuthError),
    /// The database failed.
    #[error("Passkeys are unavailable right now. Please try again.")]
    Unavailable(#[source] StoreError),
}

impl PasskeyError {
    /// The wire code of JSON answers.
    pub fn code(&self) -> &'static str {
        match self {
            PasskeyError::NotAvailable => "PasskeysUnavailable",
            PasskeyError::InvalidRequest => "InvalidRequest",
            PasskeyError::ChallengeExpired => "ChallengeExpired",
            // Auth.js's name for a WebAuthn answer that does not verify.
            PasskeyError::VerificationFailed => "WebAuthnVerificationError",
            PasskeyError::SessionRequired => AuthError::SessionRequired.code(),
            PasskeyError::SessionNotFresh => "SessionNotFresh",
            PasskeyError::AlreadyRegistered => "PasskeyExists",
            PasskeyError::TooManyPasskeys => "TooManyPasskeys",
            PasskeyError::NotFound => "NotFound",
            PasskeyError::InvalidEmail => "InvalidEmail",
            PasskeyError::EmailTaken => "EmailTaken",
            PasskeyError::InvalidName => "InvalidName",
            PasskeyError::NoPasskey => "NoPasskey",
            PasskeyError::TooManyAttempts(refusal) => refusal.code.code(),
            PasskeyError::SignIn(code) => code.code(),
            PasskeyError::Unavailable(_) => "Unavailable",
        }
    }

    /// The HTTP status: 4xx for everything the client can change, 503 for a store outage.
    pub fn http_status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            PasskeyError::NotAvailable | PasskeyError::NotFound => StatusCode::NOT_FOUND,
            PasskeyError::InvalidRequest
            | PasskeyError::ChallengeExpired
            | PasskeyError::VerificationFailed
            | PasskeyError::InvalidEmail
            | PasskeyError::InvalidName => StatusCode::BAD_REQUEST,
            PasskeyError::SessionRequired => StatusCode::UNAUTHORIZED,
            PasskeyError::SessionNotFresh => StatusCode::FORBIDDEN,
            PasskeyError::AlreadyRegistered
            | PasskeyError::TooManyPasskeys
            | PasskeyError::EmailTaken
            | PasskeyError::NoPasskey => StatusCode::CONFLICT,
            PasskeyError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            PasskeyError::SignIn(code) => code.http_status(),
            PasskeyError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// How long to wait before trying again, for `Retry-After`.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            PasskeyError::TooManyAttempts(refusal) => Some(refusal.retry_after),
            PasskeyError::Unavailable(e) => e.retry_after(),
            _ => None,
        }
    }
}

impl From<StoreError> for PasskeyError {
    fn from(e: StoreError) -> Self {
        PasskeyError::Unavailable(e)
    }
}

impl From<TooManyAttempts> for PasskeyError {
    fn from(refusal: TooManyAttempts) -> Self {
        PasskeyError::TooManyAttempts(refusal)
    }
}

/// What the store keeps of a passkey (`PasskeyRecord::credential`, JSON): the credential as
/// webauthn-rs verifies it, and the user handle it was registered under. The handle is
/// stored because a passkey made at sign-up gets one before its user exists; every later
/// passkey of the user reuses it (an authenticator keeps one passkey per site and handle).
#[derive(Serialize, Deserialize)]
struct StoredCredential {
    user_handle: Uuid,
    passkey: webauthn_rs::prelude::Passkey,
}

/// `SessionNotFresh` unless the user behind `token` authenticated within `fresh_age`: adding
/// or removing a passkey and removing the password need it.
fn require_fresh(auth: &Auth, token: &crate::callbacks::Token) -> Result<(), PasskeyError> {
    match auth.sessions().is_fresh(token) {
        true => Ok(()),
        false => Err(PasskeyError::SessionNotFresh),
    }
}

/// The user handle of a user who has no passkey yet: derived from the id rather than the id
/// itself, which would then sit in every authenticator.
fn derived_user_handle(user_id: &str) -> Uuid {
    let digest = Sha256::digest(user_id.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

/// The credential id as the store and the API name it: unpadded base64url.
fn credential_id_text(id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

impl Auth {
    /// The passkey provider, when the app configured one.
    pub(crate) fn passkey_provider(&self) -> Option<&Passkey> {
        self.config().providers.iter().find_map(|p| match p {
            crate::providers::Provider::Passkey(passkey) => Some(passkey),
            _ => None,
        })
    }

    /// The relying party of the request's site: RP ID its host, origin the site URL. An IP
    /// address is refused (browsers refuse WebAuthn there), with one log line per process.
    fn relying_party(&self, ctx: &RequestContext) -> Result<Webauthn, PasskeyError> {
        self.passkey_provider().ok_or(PasskeyError::NotAvailable)?;
        static WARNED: AtomicBool = AtomicBool::new(false);
        let site = &ctx.base_url;
        let Some(url::Host::Domain(rp_id)) = site.host() else {
            if !WARNED.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    site = %site,
                    "passkeys are off: browsers refuse WebAuthn on an IP-address origin; \
                     open the site as http://localhost:<port> in development"
                );
            }
            return Err(PasskeyError::NotAvailable);
        };
        let origin = Url::parse(&site.origin().ascii_serialization())
            .map_err(|_| PasskeyError::NotAvailable)?;
        WebauthnBuilder::new(rp_id, &origin)
            .and_then(|builder| builder.rp_name(rp_id).build())
            .map_err(|e| {
                if !WARNED.swap(true, Ordering::Relaxed) {
                    tracing::warn!(site = %site, error = %e, "passkeys are off for this site");
                }
                PasskeyError::NotAvailable
            })
    }
}
