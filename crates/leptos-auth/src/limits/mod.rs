//! Abuse defence (docs/architecture.md › Account safety): per-IP rate limits on the endpoints that
//! check secrets, create accounts or send mail, a per-account lockout after repeated failed
//! sign-ins, and a per-address budget of mails so that nobody can flood one inbox from many
//! addresses.
//!
//! The counters live in the [`crate::store::Store`], so every instance sharing a database
//! sees the same limits. Each instance also remembers what it has already refused until
//! when, so a flood from one address is answered without a database round trip.

mod blocks;
mod client_ip;
mod policy;

use blocks::LocalBlocks;
pub use client_ip::{ClientIp, InvalidProxy, TrustedProxies};
pub use policy::{LimitedAction, Lockout, MailLimit, RateLimits, TooManyAttempts};

use std::{net::IpAddr, sync::Arc, time::Duration};

use sha2::{Digest, Sha256};

use crate::{
    AuthError,
    clock::now_secs,
    store::{Store, normalize_email},
};
use policy::MAX_LOCK;

fn refusal(code: AuthError, until: i64, now: i64) -> TooManyAttempts {
    TooManyAttempts {
        code,
        retry_after: Duration::from_secs(u64::try_from(until - now).unwrap_or(0).max(1)),
    }
}

fn secs(duration: Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX / 4)
}

/// The counter key of an account or address: a hash, so that the emails people mistype
/// (or attackers try) are not kept in clear.
fn address_key(kind: &str, identifier: &str) -> String {
    let digest = Sha256::digest(normalize_email(identifier).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

fn account_key(identifier: &str) -> String {
    address_key("lock", identifier)
}

/// The abuse defence of one instance: its policies, the store that shares the counters
/// between instances, and what this instance already refused.
pub(crate) struct Limits {
    rate_limits: RateLimits,
    mail_limit: MailLimit,
    lockout: Lockout,
    audit_retention: Duration,
    store: Arc<dyn Store>,
    blocks: LocalBlocks,
}

impl Limits {
    pub(crate) fn new(
        rate_limits: RateLimits,
        mail_limit: MailLimit,
        lockout: Lockout,
        audit_retention: Duration,
        store: Arc<dyn Store>,
    ) -> Self {
        Limits {
            rate_limits,
            mail_limit,
            lockout,
            audit_retention,
            store,
            blocks: LocalBlocks::default(),
        }
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
        let limits = &self.rate_limits;
        let Some(ip) = ip.0.filter(|_| limits.enabled) else {
            if limits.enabled {
                self.warn_no_client_ip();
            }
            return Ok(());
        };
        let client = limits.client_key(ip);
        let key = format!("ip:{}:{client}", action.key());
        let counted = self
            .count_against(&key, limits.max_requests, limits.window)
            .await;
        self.maybe_prune_expired(now_secs()).await;
        if counted.is_err() {
            tracing::warn!(%client, action = action.key(), "rate limited");
        }
        counted
    }

    /// Whether one more audit row about a failure nobody is signed in for may be written for
    /// `ip`: such rows are bounded by the per-IP rate limits, so a client cannot grow the
    /// log faster than it could sign in. Always true when the limits are off or the address
    /// is unknown.
    pub(crate) async fn may_log_anonymous_failure(&self, ip: Option<IpAddr>) -> bool {
        let limits = &self.rate_limits;
        let Some(ip) = ip.filter(|_| limits.enabled) else {
            return true;
        };
        let key = format!("ip:failure-log:{}", limits.client_key(ip));
        self.count_against(&key, limits.max_requests, limits.window)
            .await
            .is_ok()
    }

    /// Counts one mail to `email` against its [`MailLimit`]; `Err` once the address has had
    /// its share for the current window. A database failure lets the mail go (the per-IP
    /// limit still applies) and is logged.
    pub(crate) async fn count_mail_to(&self, email: &str) -> Result<(), TooManyAttempts> {
        let policy = &self.mail_limit;
        let counted = self
            .count_against(&address_key("mail", email), policy.max_mails, policy.window)
            .await;
        if counted.is_err() {
            tracing::warn!("mail budget of one address used up: not sending");
        }
        counted
    }

    /// Counts one event against `key`, allowing `max` per `window`; `Err` once they are
    /// used up, until the window ends (remembered locally, so a flood costs no more
    /// database round trips). A database failure lets the event through and is logged.
    async fn count_against(
        &self,
        key: &str,
        max: u32,
        window: Duration,
    ) -> Result<(), TooManyAttempts> {
        let now = now_secs();
        if let Some(until) = self.blocks.blocked_until(key, now) {
            return Err(refusal(AuthError::RateLimited, until, now));
        }
        let window = secs(window).max(1);
        let counter = match self.store.count_event(key, now, window).await {
            Ok(counter) => counter,
            Err(e) => {
                e.log("rate-limit counter unavailable");
                return Ok(());
            }
        };
        if counter.count > max {
            let until = counter.window_start + window;
            self.blocks.block(key, until, now);
            return Err(refusal(AuthError::RateLimited, until, now));
        }
        Ok(())
    }

    /// `Err` while the account named `identifier` (an email or user name) is locked.
    pub(crate) async fn check_lockout(&self, identifier: &str) -> Result<(), LockoutCheck> {
        let key = account_key(identifier);
        let now = now_secs();
        if let Some(until) = self.blocks.blocked_until(&key, now) {
            return Err(LockoutCheck::Locked(refusal(
                AuthError::AccountLocked,
                until,
                now,
            )));
        }
        let counter = self
            .store
            .counter(&key)
            .await
            .map_err(LockoutCheck::Unavailable)?;
        match counter {
            Some(counter) if counter.locked_until > now => {
                self.blocks.block(&key, counter.locked_until, now);
                Err(LockoutCheck::Locked(refusal(
                    AuthError::AccountLocked,
                    counter.locked_until,
                    now,
                )))
            }
            _ => Ok(()),
        }
    }

    /// Counts a failed sign-in to `identifier`; returns the lockout when this failure
    /// starts one.
    pub(crate) async fn count_sign_in_failure(&self, identifier: &str) -> Option<TooManyAttempts> {
        let policy = &self.lockout;
        let key = account_key(identifier);
        let now = now_secs();
        let counter = match self
            .store
            .count_event(&key, now, secs(policy.window).max(1))
            .await
        {
            Ok(counter) => counter,
            Err(e) => {
                e.log("lockout counter unavailable");
                return None;
            }
        };
        if counter.count < policy.max_failures {
            return None;
        }
        // Each lockout in a row lasts twice as long as the one before.
        let lock = policy
            .duration
            .saturating_mul(1 << counter.strikes.min(16))
            .min(MAX_LOCK);
        let until = now + secs(lock);
        if let Err(e) = self.store.lock_counter(&key, until).await {
            e.log("could not store a lockout");
        }
        self.blocks.block(&key, until, now);
        tracing::warn!(
            failures = counter.count,
            minutes = lock.as_secs() / 60,
            "account locked after failed sign-ins"
        );
        Some(refusal(AuthError::AccountLocked, until, now))
    }

    /// A successful sign-in ends the account's run of failures (and its backoff).
    pub(crate) async fn clear_sign_in_failures(&self, identifier: &str) {
        let key = account_key(identifier);
        self.blocks.forget(&key);
        if let Err(e) = self.store.clear_counter(&key).await {
            e.log("could not clear sign-in failures");
        }
    }

    /// Once in a while (every so many counted events), deletes expired counters, sessions
    /// and email tokens, and audit rows older than `audit_retention`.
    pub(crate) async fn maybe_prune_expired(&self, now: i64) {
        let audit_before = now.saturating_sub(secs(self.audit_retention));
        if self.blocks.should_prune()
            && let Err(e) = self.store.prune_expired(now, audit_before).await
        {
            e.log("could not prune expired rows");
        }
    }

    fn warn_no_client_ip(&self) {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            tracing::warn!(
                "per-IP rate limits are off: the server does not know client addresses (serve \
                 with into_make_service_with_connect_info::<SocketAddr>())"
            );
        });
    }
}

/// Why a sign-in may not even be tried.
pub(crate) enum LockoutCheck {
    Locked(TooManyAttempts),
    Unavailable(crate::store::StoreError),
}

impl From<LockoutCheck> for crate::error::Failure {
    fn from(check: LockoutCheck) -> Self {
        match check {
            LockoutCheck::Locked(refusal) => refusal.into(),
            LockoutCheck::Unavailable(e) => crate::error::Failure::new(AuthError::Configuration, e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_keys_do_not_depend_on_how_the_email_was_typed_nor_reveal_it() {
        assert_eq!(
            account_key(" Ada@Example.com"),
            account_key("ada@example.com")
        );
        assert!(!account_key("ada@example.com").contains("ada"));
    }
}
