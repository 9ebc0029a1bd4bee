//! A circuit breaker in front of the store: once the database is found unreachable, calls
//! fail at once with [`StoreError::Unavailable`] instead of each waiting for the connection
//! pool to give up (seconds per request, for every request, for the whole outage). Meanwhile
//! one probe in the background asks the database again every `retry_interval`; when it
//! answers, calls go through again: no restart needed.
//!
//! What fails fast then degrades gently: a JWT session is trusted on its signature, a
//! database session read answers 503 with `Retry-After` without touching the cookie, and
//! sign-ins and other writes answer 503 with `Retry-After` (README › Security).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use async_trait::async_trait;

use super::{
    Account, AccountStore, AccountTokens, AuditRecord, AuditStore, Counter, CounterStore, NewUser,
    PasskeyRecord, PasskeyStore, SessionRecord, SessionStore, Store, StoreError, TwoFactorRecord,
    TwoFactorStore, User, UserStore, VerificationToken, VerificationTokenStore,
};

/// The store as the layer sees it: every call guarded, provider accounts through their
/// encrypting layer ([`SealedAccounts`](super::SealedAccounts)).
pub(crate) struct CircuitBreaker {
    inner: Arc<dyn Store>,
    accounts: Arc<dyn AccountStore>,
    state: Arc<BreakerState>,
}

struct BreakerState {
    retry_interval: Duration,
    epoch: Instant,
    /// Milliseconds after `epoch` until which calls fail fast; 0 while the store is up.
    open_until_ms: AtomicU64,
    probing: AtomicBool,
}

impl BreakerState {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn interval_ms(&self) -> u64 {
        u64::try_from(self.retry_interval.as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// The store could not be reached: fail fast for one interval.
    fn trip(&self) {
        let until = self.now_ms().saturating_add(self.interval_ms());
        let was = self.open_until_ms.swap(until, Ordering::SeqCst);
        if was == 0 {
            tracing::error!(
                retry_every_secs = self.retry_interval.as_secs_f32(),
                "the database is unreachable: store calls fail at once until it answers again"
            );
        }
    }

    fn close(&self) {
        if self.open_until_ms.swap(0, Ordering::SeqCst) != 0 {
            tracing::warn!("the database answers again");
        }
    }
}

impl CircuitBreaker {
    pub fn new(
        inner: Arc<dyn Store>,
        accounts: Arc<dyn AccountStore>,
        retry_interval: Duration,
    ) -> Self {
        CircuitBreaker {
            inner,
            accounts,
            state: Arc::new(BreakerState {
                retry_interval,
                epoch: Instant::now(),
                open_until_ms: AtomicU64::new(0),
                probing: AtomicBool::new(false),
            }),
        }
    }

    /// `Err(Unavailable)` while the breaker is open; once an interval is over, starts the
    /// probe that decides whether it closes.
    fn check(&self) -> Result<(), StoreError> {
        let until = self.state.open_until_ms.load(Ordering::SeqCst);
        if until == 0 {
            return Ok(());
        }
        let now = self.state.now_ms();
        if now >= until && !self.state.probing.swap(true, Ordering::SeqCst) {
            self.probe();
        }
        let left = until.saturating_sub(now).max(self.state.interval_ms());
        Err(StoreError::Unavailable {
            retry_after: Duration::from_millis(left).max(Duration::from_secs(1)),
        })
    }

    /// Asks the database once, in the background: nobody's request waits for it.
    fn probe(&self) {
        let (inner, state) = (self.inner.clone(), self.state.clone());
        tokio::spawn(async move {
            match inner.counter("breaker:probe").await {
                Err(StoreError::Unreachable(_)) => state.trip(),
                _ => state.close(),
            }
            state.probing.store(false, Ordering::SeqCst);
        });
    }

    async fn guard<T>(
        &self,
        call: impl std::future::Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        self.check()?;
        let result = call.await;
        if let Err(StoreError::Unreachable(_)) = &result {
            self.state.trip();
        }
        result
    }
}

/// Every store method, forwarded through [`CircuitBreaker::guard`] to `self.$target`.
macro_rules! guarded {
    ($(
        impl $trait:ident via $target:ident {
            $( fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ok:ty; )*
        }
    )*) => {
        $(
            #[async_trait]
            impl $trait for CircuitBreaker {
                $(
                    async fn $name(&self $(, $arg: $ty)*) -> Result<$ok, StoreError> {
                        self.guard(self.$target.$name($($arg),*)).await
                    }
                )*
            }
        )*
    };
}

guarded! {
    impl UserStore via inner {
        fn create_user(&self, user: NewUser) -> User;
        fn import_users(&self, users: Vec<NewUser>) -> Vec<bool>;
        fn user_by_id(&self, id: &str) -> Option<User>;
        fn user_by_email(&self, email: &str) -> Option<User>;
        fn user_with_password(&self, email: &str) -> Option<(User, String)>;
        fn list_users(&self) -> Vec<User>;
        fn mark_email_verified(&self, user_id: &str) -> ();
        fn has_password(&self, user_id: &str) -> bool;
        fn set_password_hash(&self, user_id: &str, password_hash: &str) -> ();
        fn remove_password(&self, user_id: &str) -> ();
    }
    impl AccountStore via accounts {
        fn link_account(&self, account: Account) -> ();
        fn create_user_with_account(
            &self,
            user: NewUser,
            email_verified: bool,
            account: Account
        ) -> User;
        fn account(&self, provider: &str, provider_account_id: &str) -> Option<Account>;
        fn accounts_of_user(&self, user_id: &str) -> Vec<Account>;
        fn all_accounts(&self) -> Vec<Account>;
        fn update_account_tokens(&self, account_id: &str, tokens: &AccountTokens) -> ();
        fn unlink_account(&self, user_id: &str, provider: &str) -> ();
    }
    impl SessionStore via inner {
        fn create_session(&self, session: &SessionRecord) -> ();
        fn session(&self, id: &str) -> Option<SessionRecord>;
        fn session_by_token_hash(&self, token_hash: &str) -> Option<SessionRecord>;
        fn touch_session(
            &self,
            id: &str,
            last_seen_at: i64,
            expires_at: i64,
            data: Option<&str>
        ) -> ();
        fn sessions_of_user(&self, user_id: &str) -> Vec<SessionRecord>;
        fn delete_session(&self, user_id: &str, id: &str) -> bool;
        fn delete_sessions_of_user(&self, user_id: &str, except: Option<&str>) -> u64;
        fn delete_expired_sessions(&self, now: i64) -> ();
    }
    impl VerificationTokenStore via inner {
        fn create_verification_token(&self, token: &VerificationToken) -> ();
        fn delete_verification_tokens(&self, identifier: &str) -> u64;
        fn take_verification_token(&self, token_hash: &str) -> Option<VerificationToken>;
        fn delete_expired_verification_tokens(&self, now: i64) -> ();
    }
    impl CounterStore via inner {
        fn count_event(&self, key: &str, now: i64, window: i64) -> Counter;
        fn lock_counter(&self, key: &str, until: i64) -> ();
        fn counter(&self, key: &str) -> Option<Counter>;
        fn clear_counter(&self, key: &str) -> ();
        fn delete_expired_counters(&self, now: i64) -> ();
    }
    impl AuditStore via inner {
        fn record_audit_event(&self, event: &AuditRecord) -> ();
        fn audit_events(&self, user_id: Option<&str>, limit: u32) -> Vec<AuditRecord>;
        fn delete_audit_events_before(&self, before: i64) -> ();
    }

    impl PasskeyStore via inner {
        fn create_passkey(&self, passkey: &PasskeyRecord) -> ();
        fn passkey(&self, id: &str) -> Option<PasskeyRecord>;
        fn passkeys_of_user(&self, user_id: &str) -> Vec<PasskeyRecord>;
        fn record_passkey_use(&self, id: &str, credential: &str, counter: i64, backup_state: bool, used_at: i64) -> bool;
        fn rename_passkey(&self, user_id: &str, id: &str, name: &str) -> bool;
        fn delete_passkey(&self, user_id: &str, id: &str) -> bool;
    }
    impl TwoFactorStore via inner {
        fn two_factor(&self, user_id: &str) -> Option<TwoFactorRecord>;
        fn put_two_factor(&self, record: &TwoFactorRecord) -> ();
        fn use_totp_step(&self, user_id: &str, step: i64) -> bool;
        fn swap_backup_codes(&self, user_id: &str, expected: &str, new: &str) -> bool;
        fn delete_two_factor(&self, user_id: &str) -> bool;
    }
}
