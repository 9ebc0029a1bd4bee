//! Two-factor sign-in (docs/architecture.md › Two-factor): authenticator-app codes (TOTP,
//! RFC 6238: SHA-1, 6 digits, 30-second steps, one step of drift either way), ten single-use
//! backup codes, and the state between the two factors.
//!
//! `codes.rs` checks a code against the stored factor (each TOTP step and each backup code
//! works once, atomically in the store, so two instances agree); `manage.rs` sets the factor
//! up, turns it on and off and makes new backup codes; `pending.rs` is the sign-in waiting for
//! its second factor (a sealed cookie bound to the browser, 5 minutes, 5 attempts) and its
//! completion; `trusted.rs` is "trust this device for 30 days"; `reauthenticate.rs` makes a
//! session fresh again for sensitive actions (password or code). The TOTP secret is stored
//! sealed with the site's secret, bound to its user; backup codes only as SHA-256.

mod codes;
mod manage;
mod pending;
mod reauthenticate;
mod trusted;

pub use manage::{TwoFactorSetup, TwoFactorStatus};

use crate::{AuthError, limits::TooManyAttempts, store::StoreError};

/// Why a two-factor request was refused. The messages are fit to show; every code is stable
/// (`code`), and none is a 5xx but `Unavailable` (the store is down).
#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    /// Not signed in (managing the factor, re-authenticating).
    #[error("Please sign in again.")]
    SessionRequired,
    /// Changing two-factor settings needs a recent authentication.
    #[error("Please confirm it is you, then try again.")]
    SessionNotFresh,
    /// A wrong, malformed or already used code.
    #[error("The code is not correct.")]
    InvalidCode,
    /// Re-authenticating with a wrong password.
    #[error("The password is not correct.")]
    WrongPassword,
    /// No sign-in waits for a second factor in this browser: none started, it expired (5
    /// minutes), had its 5 attempts, completed already, or belongs to another browser.
    #[error("Your sign-in expired. Please sign in again.")]
    Expired,
    /// Two-factor sign-in is off for this account.
    #[error("Two-factor sign-in is not turned on.")]
    NotEnabled,
    /// Two-factor sign-in is on already: turn it off first to set up another app.
    #[error("Two-factor sign-in is already on.")]
    AlreadyEnabled,
    /// Turning it on before setting it up.
    #[error("Set up two-factor sign-in first.")]
    NotSetUp,
    /// Re-authenticating with neither a password nor a code the account has.
    #[error("Enter your password or a code.")]
    InvalidRequest,
    /// Too many attempts from this address, or the account is locked.
    #[error("{}", .0.code.user_message_after(Some(.0.retry_after.as_secs())))]
    TooManyAttempts(TooManyAttempts),
    /// The sign-in was refused after the second factor (the `sign_in` callback, …).
    #[error("{}", .0.user_message())]
    SignIn(AuthError),
    /// The database failed.
    #[error("Two-factor sign-in is unavailable right now. Please try again.")]
    Unavailable(#[source] StoreError),
}

impl TwoFactorError {
    /// The wire code of JSON answers and `?error=`.
    pub fn code(&self) -> &'static str {
        match self {
            TwoFactorError::SessionRequired => AuthError::SessionRequired.code(),
            TwoFactorError::SessionNotFresh => AuthError::SessionNotFresh.code(),
            TwoFactorError::InvalidCode => "InvalidTwoFactorCode",
            TwoFactorError::WrongPassword => "WrongPassword",
            TwoFactorError::Expired => "TwoFactorExpired",
            TwoFactorError::NotEnabled => "TwoFactorNotEnabled",
            TwoFactorError::AlreadyEnabled => "TwoFactorEnabled",
            TwoFactorError::NotSetUp => "TwoFactorNotSetUp",
            TwoFactorError::InvalidRequest => "InvalidRequest",
            TwoFactorError::TooManyAttempts(refusal) => refusal.code.code(),
            TwoFactorError::SignIn(code) => code.code(),
            TwoFactorError::Unavailable(_) => "Unavailable",
        }
    }

    /// The message for a wire code of this module (`?error=` on the two-factor page).
    pub(crate) fn text_of(code: &str) -> crate::i18n::Text {
        use crate::i18n::Text;
        match code {
            "InvalidTwoFactorCode" => Text::InvalidTwoFactorCode,
            "TwoFactorExpired" => Text::TwoFactorExpired,
            "WrongPassword" => Text::WrongPassword,
            other => Text::Error(AuthError::from_code(other)),
        }
    }

    /// The HTTP status: 4xx for everything the client can change, 503 for a store outage.
    pub fn http_status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            TwoFactorError::SessionRequired
            | TwoFactorError::InvalidCode
            | TwoFactorError::WrongPassword
            | TwoFactorError::Expired => StatusCode::UNAUTHORIZED,
            TwoFactorError::SessionNotFresh => StatusCode::FORBIDDEN,
            TwoFactorError::NotEnabled
            | TwoFactorError::AlreadyEnabled
            | TwoFactorError::NotSetUp => StatusCode::CONFLICT,
            TwoFactorError::InvalidRequest => StatusCode::BAD_REQUEST,
            TwoFactorError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            TwoFactorError::SignIn(code) => code.http_status(),
            TwoFactorError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// How long to wait before trying again, for `Retry-After`.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            TwoFactorError::TooManyAttempts(refusal) => Some(refusal.retry_after),
            TwoFactorError::Unavailable(e) => e.retry_after(),
            _ => None,
        }
    }
}

impl From<StoreError> for TwoFactorError {
    fn from(e: StoreError) -> Self {
        TwoFactorError::Unavailable(e)
    }
}

impl From<TooManyAttempts> for TwoFactorError {
    fn from(refusal: TooManyAttempts) -> Self {
        TwoFactorError::TooManyAttempts(refusal)
    }
}

impl From<crate::limits::LockoutCheck> for TwoFactorError {
    fn from(check: crate::limits::LockoutCheck) -> Self {
        match check {
            crate::limits::LockoutCheck::Locked(refusal) => refusal.into(),
            crate::limits::LockoutCheck::Unavailable(e) => e.into(),
        }
    }
}
