//! What the stores keep: users, provider accounts, sessions, mailed tokens and counters.

use serde::{Deserialize, Serialize};

use crate::provider_kind::ProviderKind;
pub use crate::secret::{AccessToken, RefreshToken};

/// A user, as stored (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(feature = "sqlite", feature = "postgres"), derive(sqlx::FromRow))]
pub struct User {
    /// Stable opaque id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Email address, lower-cased.
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// When the email address was verified (ISO 8601), if it was.
    pub email_verified: Option<String>,
}

/// What is needed to create a user.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    /// Display name.
    pub name: Option<String>,
    /// Email address (lower-cased by the store).
    pub email: Option<String>,
    /// Avatar URL.
    pub image: Option<String>,
    /// argon2id PHC string, for users who sign in with a password (a bcrypt hash from an
    /// import is accepted too, and replaced by argon2id at the first sign-in).
    pub password_hash: Option<String>,
    /// The app's own data about the user, as JSON (kept in `users.data`), e.g. the fields of
    /// an imported record that the auth layer has no column for.
    pub data: Option<String>,
}

/// An OAuth account linked to a user (Auth.js `Account`). Its tokens stay on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Stable opaque id.
    pub id: String,
    /// The user it belongs to.
    pub user_id: String,
    /// Provider id, e.g. `github`.
    pub provider: String,
    /// The user's id at the provider.
    pub provider_account_id: String,
    /// The kind of provider (`oauth` or `oidc`).
    pub kind: ProviderKind,
    /// Provider tokens: never sent to the browser.
    pub tokens: AccountTokens,
}

/// A passkey (WebAuthn discoverable credential) of a user. Its id is unique across users.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(feature = "sqlite", feature = "postgres"), derive(sqlx::FromRow))]
pub struct PasskeyRecord {
    /// The credential id (base64url).
    pub id: String,
    /// Whose passkey it is.
    pub user_id: String,
    /// The credential as the WebAuthn library keeps it (public key, counter, flags), JSON.
    pub credential: String,
    /// What the user called it ("MacBook", "Pixel").
    pub name: String,
    /// The signature counter last seen; 0 for authenticators that do not count (synced
    /// passkeys).
    pub counter: i64,
    /// Whether the authenticator may back the passkey up (sync it to other devices).
    pub backup_eligible: bool,
    /// Whether it is backed up (synced) now.
    pub backup_state: bool,
    /// The transports the authenticator reported (`["internal","hybrid"]`), JSON.
    pub transports: String,
    /// The authenticator model's AAGUID.
    pub aaguid: String,
    /// When it was registered (unix seconds).
    pub created_at: i64,
    /// When it last signed someone in (unix seconds).
    pub last_used_at: Option<i64>,
}

/// A user's authenticator-app second factor (TOTP), one row per user. While `enabled_at` is
/// `None` it is being set up: sign-in does not ask for it until the user confirmed a code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(feature = "sqlite", feature = "postgres"), derive(sqlx::FromRow))]
pub struct TwoFactorRecord {
    /// Whose second factor it is.
    pub user_id: String,
    /// The TOTP secret, sealed by the layer (encrypted with the secret, bound to the user).
    pub secret: String,
    /// When the user confirmed it with a code (unix seconds); `None` while being set up.
    pub enabled_at: Option<i64>,
    /// The last time step a code was accepted for: a code is accepted once.
    pub last_step: i64,
    /// SHA-256 (hex) of each unused backup code, space-separated.
    pub backup_codes: String,
    /// When it was set up (unix seconds).
    pub created_at: i64,
}

/// A signed-in browser: one row per sign-in, whatever the session strategy, so sessions can
/// be listed and ended (docs/architecture.md › Account safety).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(any(feature = "sqlite", feature = "postgres"), derive(sqlx::FromRow))]
pub struct SessionRecord {
    /// Opaque id, shown to the user and named by `POST /sessions/revoke`.
    pub id: String,
    /// Whose session it is.
    pub user_id: String,
    /// SHA-256 (hex) of the cookie value of a `database`-strategy session; `None` for JWT
    /// sessions, whose cookie carries the id.
    pub token_hash: Option<String>,
    /// The session's claims as JSON (`database` strategy).
    pub data: Option<String>,
    /// Sign-in time (unix seconds).
    pub created_at: i64,
    /// Last time the session was seen (unix seconds, updated at most every few minutes).
    pub last_seen_at: i64,
    /// Idle expiry (unix seconds), slid forward as the session is used.
    pub expires_at: i64,
    /// When the session ends however active (unix seconds).
    pub absolute_expires_at: i64,
    /// The browser's `User-Agent` at sign-in (truncated).
    pub user_agent: Option<String>,
    /// The client address at sign-in.
    pub ip: Option<String>,
}

/// A one-time token sent by email: a magic link, a password reset or an email verification.
/// Only the hash of the token is stored; the token itself exists only in the mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationToken {
    /// SHA-256 (hex) of the token in the link.
    pub token_hash: String,
    /// The email address it was sent to (normalised).
    pub identifier: String,
    /// What the token may be used for.
    pub purpose: TokenPurpose,
    /// When it stops working (unix seconds).
    pub expires_at: i64,
}

/// What a [`VerificationToken`] may be used for: a token for one purpose never works for
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Magic-link sign-in (the `email` provider).
    SignIn,
    /// Setting a new password after "forgot password".
    PasswordReset,
    /// Confirming the email address of an account.
    VerifyEmail,
    /// One passkey ceremony (its options and the browser's answer): five minutes, once. The
    /// identifier is the user adding a passkey, or empty for a sign-in.
    PasskeyChallenge,
}

impl TokenPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "sign_in",
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::PasskeyChallenge => "passkey_challenge",
        }
    }

    /// Parses a stored name.
    pub fn from_stored(name: &str) -> Option<Self> {
        [
            TokenPurpose::SignIn,
            TokenPurpose::PasswordReset,
            TokenPurpose::VerifyEmail,
            TokenPurpose::PasskeyChallenge,
        ]
        .into_iter()
        .find(|p| p.as_str() == name)
    }
}

/// Provider tokens of an account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountTokens {
    /// Bearer token for the provider's API.
    pub access_token: Option<AccessToken>,
    /// Token for getting a new access token.
    pub refresh_token: Option<RefreshToken>,
    /// When the access token expires (seconds since the epoch).
    pub expires_at: Option<i64>,
    /// Granted scopes, space-separated.
    pub scope: Option<String>,
    /// Usually `bearer`.
    pub token_type: Option<String>,
    /// The OIDC ID token.
    pub id_token: Option<String>,
}

/// A rate-limit or lockout counter (see [`CounterStore::count_event`](super::CounterStore::count_event)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counter {
    /// Events in the current window.
    pub count: u32,
    /// When the current window started (unix seconds).
    pub window_start: i64,
    /// Locked until then (unix seconds); 0 when never locked.
    pub locked_until: i64,
    /// How many times the key was locked since the counter was created.
    pub strikes: u32,
}

/// How long a counter outlives its window or lock, so lockouts in a row can back off.
pub const COUNTER_MEMORY_SECS: i64 = 24 * 60 * 60;

/// One row of the audit log, as stored and as `GET /api/auth/audit` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(any(feature = "sqlite", feature = "postgres"), derive(sqlx::FromRow))]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    /// When (unix seconds).
    pub time: i64,
    /// The user, when known.
    pub user_id: Option<String>,
    /// What happened: an [`AuditEvent`](crate::audit::AuditEvent) name.
    pub event: String,
    /// The provider involved, if any (`credentials`, `github`, …).
    pub provider: Option<String>,
    /// The client address.
    pub ip: Option<String>,
    /// The browser's `User-Agent` (truncated).
    pub user_agent: Option<String>,
}
