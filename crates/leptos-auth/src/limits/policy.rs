//! The limits an app configures: per-IP rate limits, the per-account lockout and the
//! per-address mail budget, and the refusal they answer with.

use std::{net::IpAddr, time::Duration};

use super::client_ip::canonical;
use crate::{AuthError, AuthFnError, error::Failure, store::PasswordHashError};

/// Per-IP rate limits on sign-in, sign-up, password and email endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Whether the per-IP limits apply. `AUTH_RATE_LIMITS=off` turns them off for test
    /// suites and load tests; the per-account [`Lockout`] stays on regardless.
    pub enabled: bool,
    /// Requests one address may make to one [`LimitedAction`] within `window`.
    pub max_requests: u32,
    /// The length of a rate-limit window.
    pub window: Duration,
    /// IPv6 clients are counted by network, not by address: one host is usually given a
    /// whole /64 and could rotate through it. The length of that network prefix.
    pub ipv6_prefix: u8,
}

impl Default for RateLimits {
    /// 5 requests per 10 seconds per address (per /64 for IPv6) and action: enough for a
    /// person retyping a password, far too few for a script.
    fn default() -> Self {
        RateLimits {
            enabled: true,
            max_requests: 5,
            window: Duration::from_secs(10),
            ipv6_prefix: 64,
        }
    }
}

impl RateLimits {
    /// Who a request from `ip` is counted as: the address itself for IPv4 (and
    /// IPv4-mapped IPv6), its network of `ipv6_prefix` bits for IPv6.
    pub fn client_key(&self, ip: IpAddr) -> String {
        match canonical(ip) {
            IpAddr::V6(v6) => {
                let prefix = self.ipv6_prefix.min(128);
                let mask = u128::MAX.checked_shl(u32::from(128 - prefix)).unwrap_or(0);
                let network = std::net::Ipv6Addr::from(u128::from(v6) & mask);
                format!("{network}/{prefix}")
            }
            v4 => v4.to_string(),
        }
    }
}

/// The per-account lockout: after `max_failures` failed password sign-ins within `window`,
/// password sign-in to that account is refused for `duration`, doubled for each further
/// lockout in a row (at most a day). Unknown emails are counted and locked the same way, so
/// the answer never tells whether an account exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    /// Failures that lock the account.
    pub max_failures: u32,
    /// How far back failures are counted.
    pub window: Duration,
    /// How long the first lockout lasts.
    pub duration: Duration,
}

impl Default for Lockout {
    /// 10 failures within 15 minutes lock the account for 15 minutes.
    fn default() -> Self {
        Lockout {
            max_failures: 10,
            window: Duration::from_secs(15 * 60),
            duration: Duration::from_secs(15 * 60),
        }
    }
}

/// How many mails (sign-in links, password resets, verification links) one email address
/// may be sent within `window`, whoever asks and from wherever. Always on, like the
/// [`Lockout`]: the per-IP limit alone lets a botnet fill somebody's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailLimit {
    /// Mails one address may be sent within `window`.
    pub max_mails: u32,
    /// How far back mails are counted.
    pub window: Duration,
}

impl Default for MailLimit {
    /// 5 mails per address per hour: room for a person who asks again, or for sign-up and a
    /// resend, and nothing like a flood. Each link stays valid, so the mails already sent
    /// still work while the budget is spent.
    fn default() -> Self {
        MailLimit {
            max_mails: 5,
            window: Duration::from_secs(60 * 60),
        }
    }
}

/// The longest a lockout lasts, however many came before it.
pub(super) const MAX_LOCK: Duration = Duration::from_secs(24 * 60 * 60);

/// The endpoint families that each have their own per-IP budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitedAction {
    /// Credentials sign-in (`POST /callback/credentials`, the `sign_in` server function).
    SignIn,
    /// Creating an account.
    SignUp,
    /// Changing or resetting a password.
    Password,
    /// Anything that sends an email.
    Email,
}

impl LimitedAction {
    pub(super) fn key(self) -> &'static str {
        match self {
            LimitedAction::SignIn => "sign-in",
            LimitedAction::SignUp => "sign-up",
            LimitedAction::Password => "password",
            LimitedAction::Email => "email",
        }
    }
}

/// A refusal because of too many requests ([`AuthError::RateLimited`]) or too many failed
/// sign-ins ([`AuthError::AccountLocked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{code}: retry after {} s", retry_after.as_secs())]
pub struct TooManyAttempts {
    /// `RateLimited` or `AccountLocked`.
    pub code: AuthError,
    /// How long until the next attempt can succeed (the `Retry-After` header).
    pub retry_after: Duration,
}

impl TooManyAttempts {
    /// "Busy, come back in a second": too many passwords are being hashed right now.
    pub(crate) fn busy() -> Self {
        TooManyAttempts {
            code: AuthError::RateLimited,
            retry_after: Duration::from_secs(1),
        }
    }
}

/// In a server function, a refusal also sets the response's status (429) and `Retry-After`.
impl From<TooManyAttempts> for AuthFnError {
    fn from(refusal: TooManyAttempts) -> Self {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::TOO_MANY_REQUESTS);
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(refusal.retry_after.as_secs()),
            );
        }
        AuthFnError::TooManyAttempts {
            code: refusal.code,
            retry_after_secs: refusal.retry_after.as_secs(),
        }
    }
}

impl From<TooManyAttempts> for Failure {
    fn from(refusal: TooManyAttempts) -> Self {
        Failure {
            code: refusal.code,
            cause: None,
            retry_after: Some(refusal.retry_after),
        }
    }
}

impl From<PasswordHashError> for Failure {
    /// A full hashing queue is "try again in a second" (429 with `Retry-After`); any other
    /// hashing failure is ours.
    fn from(e: PasswordHashError) -> Self {
        match e {
            PasswordHashError::Busy => TooManyAttempts::busy().into(),
            e => Failure::new(AuthError::Configuration, e),
        }
    }
}
