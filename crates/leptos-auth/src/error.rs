//! Errors: [`AuthError`], the wire codes of the Auth.js protocol, and [`AuthFnError`], the
//! typed error of server functions. On the server, a `Failure` pairs a wire code with the
//! internal cause that only the log sees.

use std::fmt;

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// The error codes of the Auth.js protocol (SPEC §2). Only the code reaches the browser (as
/// `?error=<Code>`); the detail behind it goes to the server log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthError {
    /// The server is misconfigured (missing secret, unreachable database, …).
    Configuration,
    /// A `sign_in` callback refused the user.
    AccessDenied,
    /// A verification token (magic link) is invalid, used or expired.
    Verification,
    /// Starting an OAuth sign-in failed.
    OAuthSignin,
    /// Completing an OAuth sign-in failed.
    OAuthCallback,
    /// The email belongs to a user who signed in another way.
    OAuthAccountNotLinked,
    /// Sending a magic-link email failed.
    EmailSignin,
    /// Credentials were wrong (deliberately vague: no hint whether the account exists).
    CredentialsSignin,
    /// The page needs a session and there is none.
    SessionRequired,
    /// A state-changing request came without a valid CSRF token.
    MissingCSRF,
    /// Anything else.
    Default,
}

impl AuthError {
    /// Every code, in SPEC order.
    pub const ALL: [AuthError; 11] = [
        AuthError::Configuration,
        AuthError::AccessDenied,
        AuthError::Verification,
        AuthError::OAuthSignin,
        AuthError::OAuthCallback,
        AuthError::OAuthAccountNotLinked,
        AuthError::EmailSignin,
        AuthError::CredentialsSignin,
        AuthError::SessionRequired,
        AuthError::MissingCSRF,
        AuthError::Default,
    ];

    /// The wire name, e.g. `"CredentialsSignin"`.
    pub fn code(self) -> &'static str {
        match self {
            AuthError::Configuration => "Configuration",
            AuthError::AccessDenied => "AccessDenied",
            AuthError::Verification => "Verification",
            AuthError::OAuthSignin => "OAuthSignin",
            AuthError::OAuthCallback => "OAuthCallback",
            AuthError::OAuthAccountNotLinked => "OAuthAccountNotLinked",
            AuthError::EmailSignin => "EmailSignin",
            AuthError::CredentialsSignin => "CredentialsSignin",
            AuthError::SessionRequired => "SessionRequired",
            AuthError::MissingCSRF => "MissingCSRF",
            AuthError::Default => "Default",
        }
    }

    /// Parses a wire name; unknown names become [`AuthError::Default`].
    pub fn from_code(code: &str) -> AuthError {
        AuthError::ALL
            .into_iter()
            .find(|e| e.code() == code)
            .unwrap_or(AuthError::Default)
    }

    /// A message fit for the person signing in. Generic on purpose for sign-in failures.
    pub fn user_message(self) -> &'static str {
        match self {
            AuthError::Configuration => "There is a problem with the server configuration.",
            AuthError::AccessDenied => "You do not have permission to sign in.",
            AuthError::Verification => {
                "The sign-in link is no longer valid. It may have been used already or expired."
            }
            AuthError::OAuthSignin | AuthError::OAuthCallback => {
                "Signing in with this provider failed. Please try again."
            }
            AuthError::OAuthAccountNotLinked => {
                "This email is already used by another account. Sign in the way you did before."
            }
            AuthError::EmailSignin => "The sign-in email could not be sent.",
            AuthError::CredentialsSignin => "Invalid email or password.",
            AuthError::SessionRequired => "Please sign in to view this page.",
            AuthError::MissingCSRF => "Your form expired. Please try again.",
            AuthError::Default => "Something went wrong. Please try again.",
        }
    }
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for AuthError {}

/// The error of the library's server functions, and a good one for an app's own: typed, so a
/// page matches a variant instead of comparing strings.
///
/// ```
/// use leptos_auth::{AuthError, AuthFnError};
///
/// fn message(error: &AuthFnError) -> &'static str {
///     match error {
///         AuthFnError::Auth(AuthError::SessionRequired) => "Please sign in.",
///         AuthFnError::RefreshTokenError => "Please sign in with the provider again.",
///         _ => "Something went wrong.",
///     }
/// }
/// assert_eq!(message(&AuthError::SessionRequired.into()), "Please sign in.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AuthFnError {
    /// A protocol error with its wire code (`SessionRequired`, `CredentialsSignin`, …).
    #[error("{0}")]
    Auth(AuthError),
    /// The provider access token expired and could not be refreshed: the user must sign in
    /// with the provider again (Auth.js `RefreshTokenError`).
    #[error("RefreshTokenError")]
    RefreshTokenError,
    /// The user has no account at that provider.
    #[error("NotLinked")]
    NotLinked,
    /// The provider or the database could not be reached; the detail is in the server log.
    #[error("Unavailable")]
    Unavailable,
    /// The call itself failed: network, encoding, or a server without the auth layer.
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl From<AuthError> for AuthFnError {
    fn from(error: AuthError) -> Self {
        AuthFnError::Auth(error)
    }
}

impl FromServerFnError for AuthFnError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        value.into()
    }
}

impl From<ServerFnErrorErr> for AuthFnError {
    fn from(error: ServerFnErrorErr) -> Self {
        // `leptos_axum::extract::<SignedInUser>()` reports the extractor's rejection as the
        // text of its wire code: turn it back into the typed code.
        if let ServerFnErrorErr::ServerError(text) = &error
            && let Some(code) = AuthError::ALL.into_iter().find(|e| e.code() == text)
        {
            return AuthFnError::Auth(code);
        }
        AuthFnError::ServerFn(error)
    }
}

/// What went wrong inside the server: the wire code the browser is told, and the cause the
/// log gets. Logged once, where it becomes a response.
#[cfg(feature = "ssr")]
#[derive(Debug, thiserror::Error)]
#[error("{code}")]
pub(crate) struct Failure {
    pub code: AuthError,
    #[source]
    pub cause: Option<Box<dyn std::error::Error + Send + Sync>>,
}

#[cfg(feature = "ssr")]
impl Failure {
    /// `code` for the browser, `cause` for the log.
    pub fn new(
        code: AuthError,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Failure {
            code,
            cause: Some(cause.into()),
        }
    }

    /// Writes the failure and its chain of causes to the log; returns the wire code.
    pub fn log(&self, provider: &str) -> AuthError {
        let mut chain = String::new();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            if !chain.is_empty() {
                chain.push_str(": ");
            }
            chain.push_str(&error.to_string());
            cause = error.source();
        }
        match self.code {
            AuthError::Configuration | AuthError::Default => {
                tracing::error!(provider, error = self.code.code(), cause = %chain.escape_debug())
            }
            _ => tracing::warn!(provider, error = self.code.code(), cause = %chain.escape_debug()),
        }
        self.code
    }
}

#[cfg(feature = "ssr")]
impl From<AuthError> for Failure {
    fn from(code: AuthError) -> Self {
        Failure { code, cause: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_default() {
        for e in AuthError::ALL {
            assert_eq!(AuthError::from_code(e.code()), e);
        }
        assert_eq!(AuthError::from_code("<script>"), AuthError::Default);
    }
}
