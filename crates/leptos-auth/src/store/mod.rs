//! Persistence in the Auth.js adapter model (docs/architecture.md › Persistence): users, accounts,
//! sessions and verification tokens, behind one small trait so SQLite and PostgreSQL are
//! interchangeable.

mod breaker;
mod memory;
mod password;
mod password_threads;
#[cfg(feature = "postgres")]
mod postgres;
mod sealed;
#[cfg(feature = "sqlite")]
mod sqlite;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

pub use crate::secret::{AccessToken, RefreshToken};
use crate::{AuditRecord, ProviderKind};
pub(crate) use breaker::CircuitBreaker;
pub use memory::MemoryStore;
pub use password::{PasswordHashError, hash_password, needs_rehash, verify_password};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub(crate) use sealed::SealedTokens;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

/// A user, as stored (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A signed-in browser: one row per sign-in, whatever the session strategy, so sessions can
/// be listed and ended (docs/architecture.md › Account safety).
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

impl TokenPurpose {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "sign_in",
            TokenPurpose::PasswordReset => "password_reset",
            TokenPurpose::VerifyEmail => "verify_email",
        }
    }

    /// Parses a stored name.
    pub fn from_stored(name: &str) -> Option<Self> {
        [
            TokenPurpose::SignIn,
            TokenPurpose::PasswordReset,
            TokenPurpose::VerifyEmail,
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

/// A store failure. Callers map it to `Configuration` for the browser and log the cause.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (email, provider account) is taken.
    #[error("already exists")]
    Conflict,
    /// The database failed.
    #[error("database error")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database cannot be reached at all (connection refused, no connection free in
    /// time): for a moment every call fails fast instead of waiting (`store/breaker.rs`).
    #[error("database unreachable")]
    Unreachable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The database was unreachable a moment ago and is not asked again before
    /// `retry_after` has passed.
    #[error("database unavailable, retrying in {} s", retry_after.as_secs())]
    Unavailable {
        /// When the database will be tried again.
        retry_after: std::time::Duration,
    },
}

impl StoreError {
    /// How long until the store is worth asking again, when it is down.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            StoreError::Unavailable { retry_after } => Some(*retry_after),
            StoreError::Unreachable(_) => Some(std::time::Duration::from_secs(1)),
            _ => None,
        }
    }
}

impl StoreError {
    /// Logs a failure that the request goes on without (`what` did not happen): as an error,
    /// except while the store is known to be down, which the circuit breaker reported once
    /// already.
    pub(crate) fn log(&self, what: &str) {
        match self {
            StoreError::Unavailable { .. } => tracing::debug!(error = %self, "{what}"),
            _ => tracing::error!(error = %self, "{what}"),
        }
    }
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            // A stopped server shows as this: the pool retries connecting until it gives up.
            // A pool exhausted for that long is as good as down, and failing fast sheds load.
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unreachable(Box::new(e)),
            _ => StoreError::Database(Box::new(e)),
        }
    }
}

/// The storage interface of the authentication layer. One screen on purpose: a new backend
/// implements these and nothing else.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Creates a user; [`StoreError::Conflict`] when the email is taken.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;
    /// Finds a user by id.
    async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError>;
    /// Finds a user by email (case-insensitive).
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;
    /// The user with this email and their password hash, if they have one.
    async fn user_with_password(&self, email: &str) -> Result<Option<(User, String)>, StoreError>;
    /// Every user, oldest first.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// Marks a user's email as verified now (e.g. an OIDC provider vouched for it).
    async fn mark_email_verified(&self, user_id: &str) -> Result<(), StoreError>;

    /// Links an OAuth account to a user; [`StoreError::Conflict`] when that provider account
    /// is already linked.
    async fn link_account(&self, account: Account) -> Result<(), StoreError>;
    /// Creates a user (email verified now when `email_verified`) and links `account` to it
    /// (its `user_id` is replaced), all or nothing: two parallel first sign-ins never leave
    /// a user without its account. [`StoreError::Conflict`] when the email or the provider
    /// account is taken.
    async fn create_user_with_account(
        &self,
        user: NewUser,
        email_verified: bool,
        account: Account,
    ) -> Result<User, StoreError>;
    /// The account with this provider account id.
    async fn account(
        &self,
        provider: &str,
        provider_account_id: &str,
    ) -> Result<Option<Account>, StoreError>;
    /// A user's accounts, by provider id.
    async fn accounts_of_user(&self, user_id: &str) -> Result<Vec<Account>, StoreError>;
    /// Every account of every user, for maintenance (re-encrypting stored tokens after an
    /// upgrade).
    async fn all_accounts(&self) -> Result<Vec<Account>, StoreError>;
    /// Replaces an account's tokens (after sign-in or a refresh).
    async fn update_account_tokens(
        &self,
        account_id: &str,
        tokens: &AccountTokens,
    ) -> Result<(), StoreError>;
    /// Unlinks an account from its user.
    async fn unlink_account(&self, user_id: &str, provider: &str) -> Result<(), StoreError>;
    /// Whether the user can sign in with a password.
    async fn has_password(&self, user_id: &str) -> Result<bool, StoreError>;
    /// Creates many users in one transaction (an import): for each, whether it was created
    /// (`false`: its email was taken, in the store or earlier in `users`). A database error
    /// creates none of them.
    async fn import_users(&self, users: Vec<NewUser>) -> Result<Vec<bool>, StoreError>;

    /// Counts one event against `key` (rate limits, sign-in failures) in a fixed window of
    /// `window` seconds that starts with the first event after the previous window ended;
    /// returns the counter after this event. `now` is in unix seconds.
    async fn count_event(&self, key: &str, now: i64, window: i64) -> Result<Counter, StoreError>;
    /// Locks `key` until `until` (unix seconds): one more strike, and the count starts over.
    async fn lock_counter(&self, key: &str, until: i64) -> Result<(), StoreError>;
    /// The counter of `key`, if there is one.
    async fn counter(&self, key: &str) -> Result<Option<Counter>, StoreError>;
    /// Deletes the counter of `key`.
    async fn clear_counter(&self, key: &str) -> Result<(), StoreError>;
    /// Deletes counters whose window and lock (and a day of backoff memory) are over,
    /// sessions and email tokens past their expiry, and audit rows written before
    /// `audit_before` (unix seconds).
    async fn prune_expired(&self, now: i64, audit_before: i64) -> Result<(), StoreError>;

    /// Stores a new session.
    async fn create_session(&self, session: &SessionRecord) -> Result<(), StoreError>;
    /// The session with this id.
    async fn session(&self, id: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// The `database`-strategy session whose cookie value hashes to `token_hash`.
    async fn session_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<SessionRecord>, StoreError>;
    /// Records activity: new `last_seen_at` and `expires_at`, and new claims when `data` is
    /// given.
    async fn touch_session(
        &self,
        id: &str,
        last_seen_at: i64,
        expires_at: i64,
        data: Option<&str>,
    ) -> Result<(), StoreError>;
    /// A user's sessions, most recently seen first.
    async fn sessions_of_user(&self, user_id: &str) -> Result<Vec<SessionRecord>, StoreError>;
    /// Deletes one session of `user_id` (never another user's); whether there was one.
    async fn delete_session(&self, user_id: &str, id: &str) -> Result<bool, StoreError>;
    /// Deletes every session of `user_id` but `except`; how many went.
    async fn delete_sessions_of_user(
        &self,
        user_id: &str,
        except: Option<&str>,
    ) -> Result<u64, StoreError>;
    /// Replaces a user's password hash.
    async fn set_password_hash(&self, user_id: &str, password_hash: &str)
    -> Result<(), StoreError>;
    /// Removes a user's password: password sign-in fails until a new one is set.
    async fn remove_password(&self, user_id: &str) -> Result<(), StoreError>;

    /// Stores a one-time email token.
    async fn create_verification_token(&self, token: &VerificationToken) -> Result<(), StoreError>;
    /// Deletes every token sent to `identifier`, whatever its purpose; how many went. Used
    /// when an account changes hands or password: no link mailed before works afterwards.
    async fn delete_verification_tokens(&self, identifier: &str) -> Result<u64, StoreError>;
    /// Deletes and returns the token with this hash, atomically: of two parallel uses, only
    /// one gets it.
    async fn take_verification_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<VerificationToken>, StoreError>;

    /// Appends a row to the audit log.
    async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError>;
    /// The newest `limit` audit rows, newest first: of `user_id`, or of everyone.
    async fn audit_events(
        &self,
        user_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}

/// A rate-limit or lockout counter (see [`Store::count_event`]).
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

/// Creates `dir` (and its parents) so that only its owner can enter it (0700 on Unix): it
/// holds the database and the development secret. An existing folder is left as it is.
pub(crate) fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Trims, Unicode-normalises (NFKC) and lower-cases an email, so that lookups do not depend
/// on how it was typed: `ＡＤＡ@Example.com` and `ada@example.com` are one account.
pub fn normalize_email(email: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    email.trim().nfkc().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn emails_are_one_account_however_they_are_typed() {
        for typed in [
            "ada@example.com",
            " Ada@Example.COM ",
            "\u{ff21}\u{ff24}\u{ff21}@example.com",
        ] {
            assert_eq!(
                super::normalize_email(typed),
                "ada@example.com",
                "{typed:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_data_folder_is_created_for_its_owner_only() {
        let root = std::env::temp_dir().join(format!("leptos-auth-dir-{}", std::process::id()));
        let dir = root.join("data");
        super::create_private_dir(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(mode & 0o777, 0o700);
    }
}
