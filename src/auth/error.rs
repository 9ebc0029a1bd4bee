use std::fmt;

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
