//! Persistence in the Auth.js adapter model (docs/architecture.md › Persistence): users,
//! provider accounts, sessions, mailed tokens, counters, the audit log, passkeys and second
//! factors, one trait per concern. [`Store`] is all eight together: an app passes one value,
//! and a new backend implements the eight traits and nothing else.
//!
//! SQLite and PostgreSQL share one SQL body (`sql.rs`); their files only connect, migrate and
//! name the few SQL functions that differ. A new store method touches its trait, `sql.rs` and
//! `memory.rs`.

mod breaker;
mod memory;
mod password;
mod password_threads;
#[cfg(feature = "postgres")]
mod postgres;
mod records;
mod sealed;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;
#[cfg(feature = "sqlite")]
mod sqlite;

use async_trait::async_trait;

pub(crate) use breaker::CircuitBreaker;
pub use memory::MemoryStore;
pub use password::{PasswordHashError, hash_password, needs_rehash, verify_password};
#[cfg(feature = "postgres")]
pub use postgres::PostgresStore;
pub use records::{
    AccessToken, Account, AccountTokens, AuditRecord, COUNTER_MEMORY_SECS, Counter, NewUser,
    PasskeyRecord, RefreshToken, SessionRecord, TokenPurpose, TwoFactorRecord, User,
    VerificationToken,
};
pub(crate) use sealed::SealedAccounts;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

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
    /// [`open`] was given a URL of no database this build has (a scheme other than
    /// `sqlite:`, `postgres:` or `postgresql:`, or the feature for it is off).
    #[error("{0}")]
    UnsupportedUrl(String),
}

/// Opens the store a database URL names, as `DATABASE_URL` does for the demo: `sqlite://…`
/// (feature `sqlite`; the file and its folder are created) or `postgres://…` /
/// `postgresql://…` (feature `postgres`). Either runs its migrations.
///
/// ```no_run
/// # async fn run() -> Result<(), leptos_auth::store::StoreError> {
/// let url = std::env::var("DATABASE_URL").unwrap_or("sqlite://data/auth.db".into());
/// let store = leptos_auth::store::open(&url).await?;
/// # let _ = store; Ok(()) }
/// ```
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .unwrap_or_default();
    match scheme {
        #[cfg(feature = "postgres")]
        "postgres" | "postgresql" => Ok(std::sync::Arc::new(PostgresStore::connect(url).await?)),
        #[cfg(feature = "sqlite")]
        "sqlite" => Ok(std::sync::Arc::new(SqliteStore::connect(url).await?)),
        #[cfg(not(feature = "postgres"))]
        "postgres" | "postgresql" => Err(StoreError::UnsupportedUrl(
            "a postgres:// URL needs the library's `postgres` feature".into(),
        )),
        #[cfg(not(feature = "sqlite"))]
        "sqlite" => Err(StoreError::UnsupportedUrl(
            "a sqlite:// URL needs the library's `sqlite` feature".into(),
        )),
        _ => Err(StoreError::UnsupportedUrl(
            "the database URL must start with sqlite://, postgres:// or postgresql://".into(),
        )),
    }
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

/// Users and their passwords.
#[async_trait]
pub trait UserStore: Send + Sync {
    /// Creates a user; [`StoreError::Conflict`] when the email is taken.
    async fn create_user(&self, user: NewUser) -> Result<User, StoreError>;
    /// Creates many users in one transaction (an import): for each, whether it was created
    /// (`false`: its email was taken, in the store or earlier in `users`). A database error
    /// creates none of them.
    async fn import_users(&self, users: Vec<NewUser>) -> Result<Vec<bool>, StoreError>;
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
    /// Whether the user can sign in with a password.
    async fn has_password(&self, user_id: &str) -> Result<bool, StoreError>;
    /// Replaces a user's password hash.
    async fn set_password_hash(&self, user_id: &str, password_hash: &str)
    -> Result<(), StoreError>;
    /// Removes a user's password: password sign-in fails until a new one is set.
    async fn remove_password(&self, user_id: &str) -> Result<(), StoreError>;
}

/// Provider accounts linked to users, with their tokens. The only concern whose values are
/// encrypted on their way in: the layer wraps it (`sealed.rs`), the backend stores what it
/// is given.
#[async_trait]
pub trait AccountStore: Send + Sync {
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
}

/// Signed-in browsers: one row per sign-in, whatever the session strategy.
#[async_trait]
pub trait SessionStore: Send + Sync {
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
    /// Deletes the sessions past their idle or absolute expiry at `now` (unix seconds).
    async fn delete_expired_sessions(&self, now: i64) -> Result<(), StoreError>;
}

/// Passkeys: the WebAuthn credentials users sign in with.
#[async_trait]
pub trait PasskeyStore: Send + Sync {
    /// Stores a newly registered passkey; [`StoreError::Conflict`] when its credential id is
    /// registered already (to this user or another).
    async fn create_passkey(&self, passkey: &PasskeyRecord) -> Result<(), StoreError>;
    /// The passkey with this credential id, whoever it belongs to.
    async fn passkey(&self, id: &str) -> Result<Option<PasskeyRecord>, StoreError>;
    /// A user's passkeys, oldest first.
    async fn passkeys_of_user(&self, user_id: &str) -> Result<Vec<PasskeyRecord>, StoreError>;
    /// Records a sign-in with the passkey: its updated credential, counter and backup state,
    /// and `last_used_at`; whether it still exists.
    async fn record_passkey_use(
        &self,
        id: &str,
        credential: &str,
        counter: i64,
        backup_state: bool,
        used_at: i64,
    ) -> Result<bool, StoreError>;
    /// Renames one passkey of `user_id` (never another user's); whether there was one.
    async fn rename_passkey(&self, user_id: &str, id: &str, name: &str)
    -> Result<bool, StoreError>;
    /// Deletes one passkey of `user_id` (never another user's); whether there was one.
    async fn delete_passkey(&self, user_id: &str, id: &str) -> Result<bool, StoreError>;
}

/// Authenticator-app second factors: one row per user.
#[async_trait]
pub trait TwoFactorStore: Send + Sync {
    /// The user's second factor, enabled or being set up.
    async fn two_factor(&self, user_id: &str) -> Result<Option<TwoFactorRecord>, StoreError>;
    /// Stores the user's second factor, replacing the one they had.
    async fn put_two_factor(&self, record: &TwoFactorRecord) -> Result<(), StoreError>;
    /// Records that a code of time step `step` was accepted, atomically: `false` when that
    /// step or a later one was accepted already (a replay), so of two parallel uses of one
    /// code only one gets `true`.
    async fn use_totp_step(&self, user_id: &str, step: i64) -> Result<bool, StoreError>;
    /// Replaces the backup codes when they are still `expected`, atomically: of two parallel
    /// uses of one backup code, only one gets `true`.
    async fn swap_backup_codes(
        &self,
        user_id: &str,
        expected: &str,
        new: &str,
    ) -> Result<bool, StoreError>;
    /// Deletes the user's second factor; whether there was one.
    async fn delete_two_factor(&self, user_id: &str) -> Result<bool, StoreError>;
}

/// One-time tokens sent by email (sign-in links, password resets, address verification).
#[async_trait]
pub trait VerificationTokenStore: Send + Sync {
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
    /// Deletes the tokens past their expiry at `now` (unix seconds).
    async fn delete_expired_verification_tokens(&self, now: i64) -> Result<(), StoreError>;
}

/// Rate-limit and lockout counters, shared by every instance on the same database.
#[async_trait]
pub trait CounterStore: Send + Sync {
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
    /// Deletes counters whose window and lock (and [`COUNTER_MEMORY_SECS`] of backoff
    /// memory) are over at `now` (unix seconds).
    async fn delete_expired_counters(&self, now: i64) -> Result<(), StoreError>;
}

/// The audit log: append, read the newest, forget the old.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends a row to the audit log.
    async fn record_audit_event(&self, event: &AuditRecord) -> Result<(), StoreError>;
    /// The newest `limit` audit rows, newest first: of `user_id`, or of everyone.
    async fn audit_events(
        &self,
        user_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// Deletes the rows written before `before` (unix seconds).
    async fn delete_audit_events_before(&self, before: i64) -> Result<(), StoreError>;
}

/// Everything the authentication layer keeps: implemented for every type that implements
/// the eight concerns, so an app hands [`Auth::new`](crate::Auth::new) one value.
#[async_trait]
pub trait Store:
    UserStore
    + AccountStore
    + SessionStore
    + VerificationTokenStore
    + CounterStore
    + AuditStore
    + PasskeyStore
    + TwoFactorStore
    + 'static
{
    /// Deletes what has expired at `now` (counters, sessions, mailed tokens) and the audit
    /// rows written before `audit_before` (unix seconds).
    async fn prune_expired(&self, now: i64, audit_before: i64) -> Result<(), StoreError> {
        self.delete_expired_counters(now).await?;
        self.delete_expired_sessions(now).await?;
        self.delete_expired_verification_tokens(now).await?;
        self.delete_audit_events_before(audit_before).await
    }
}

impl<T> Store for T where
    T: UserStore
        + AccountStore
        + SessionStore
        + VerificationTokenStore
        + CounterStore
        + AuditStore
        + PasskeyStore
        + TwoFactorStore
        + 'static
{
}

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
