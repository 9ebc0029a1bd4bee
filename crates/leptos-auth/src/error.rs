//! Errors: [`AuthError`], the wire codes of the Auth.js protocol, and [`AuthFnError`], the
//! typed error of server functions. On the server, a `Failure` pairs a wire code with the
//! internal cause that only the log sees.

use std::fmt;

use leptos::server_fn::{
    Bytes, ContentType, Decodes, Encodes, Format, FormatType,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// The error codes of the Auth.js protocol (docs/architecture.md › Endpoints). Only the code
/// reaches the browser (as `?error=<Code>`); the detail behind it goes to the server log.
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
    /// Too many requests from this address (HTTP 429 with `Retry-After`).
    RateLimited,
    /// Too many failed sign-ins to this account: password sign-in is locked for a while
    /// (the same for emails that have no account).
    AccountLocked,
    /// The account's email address must be verified before password sign-in
    /// (`AuthConfig::require_verified_email`).
    EmailNotVerified,
    /// The first factor was right and the account has two-factor sign-in: the answer's `url`
    /// is the page that asks for the code (no session yet).
    TwoFactorRequired,
    /// A sensitive action needs a recent authentication: re-authenticate, then try again.
    SessionNotFresh,
    /// Sign-up: not an email address.
    InvalidEmail,
    /// Sign-up or a new password: too short or too long.
    WeakPassword,
    /// Sign-up: the name is too long.
    InvalidName,
    /// Sign-up: the address has an account (only said where sign-in does not need a
    /// verified address; otherwise the answer is the same as for a new account).
    EmailTaken,
    /// Sign-up is off: no `Credentials::email_password()` provider, or it was built
    /// `without_sign_up()`.
    SignUpDisabled,
    /// Anything else.
    Default,
}

impl AuthError {
    /// Every code, in the order Auth.js documents them.
    pub const ALL: [AuthError; 21] = [
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
        AuthError::RateLimited,
        AuthError::AccountLocked,
        AuthError::EmailNotVerified,
        AuthError::TwoFactorRequired,
        AuthError::SessionNotFresh,
        AuthError::InvalidEmail,
        AuthError::WeakPassword,
        AuthError::InvalidName,
        AuthError::EmailTaken,
        AuthError::SignUpDisabled,
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
            AuthError::RateLimited => "RateLimited",
            AuthError::AccountLocked => "AccountLocked",
            AuthError::EmailNotVerified => "EmailNotVerified",
            AuthError::TwoFactorRequired => "TwoFactorRequired",
            AuthError::SessionNotFresh => "SessionNotFresh",
            AuthError::InvalidEmail => "InvalidEmail",
            AuthError::WeakPassword => "WeakPassword",
            AuthError::InvalidName => "InvalidName",
            AuthError::EmailTaken => "EmailTaken",
            AuthError::SignUpDisabled => "SignUpDisabled",
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
                "This link is no longer valid. It may have been used already or expired."
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
            AuthError::RateLimited => "Too many attempts. Please wait a moment and try again.",
            AuthError::AccountLocked => "Too many failed sign-in attempts. Please try again later.",
            AuthError::EmailNotVerified => {
                "Please verify your email address first: open the link we sent you."
            }
            AuthError::TwoFactorRequired => "Enter the code from your authenticator app.",
            AuthError::SessionNotFresh => "Please confirm it is you to continue.",
            AuthError::InvalidEmail => "Please enter a valid email address.",
            AuthError::WeakPassword => "The password must be between 8 and 256 characters long.",
            AuthError::InvalidName => "The name must be at most 100 characters.",
            AuthError::EmailTaken => "An account with this email already exists.",
            AuthError::SignUpDisabled => "Signing up is not possible here.",
            AuthError::Default => "Something went wrong. Please try again.",
        }
    }

    /// [`user_message`](Self::user_message), telling how long to wait when the server said
    /// (`retry_after_secs`, from `?retryAfter=`): "… Try again in 15 minutes."
    pub fn user_message_after(self, retry_after_secs: Option<u64>) -> String {
        match (self, retry_after_secs) {
            (AuthError::AccountLocked | AuthError::RateLimited, Some(secs)) => {
                let reason = if self == AuthError::AccountLocked {
                    "Too many failed sign-in attempts."
                } else {
                    "Too many attempts."
                };
                let wait = ["Try again in 1 minute.", "Try again in {minutes} minutes."];
                wait_message(reason, secs, wait)
            }
            _ => self.user_message().to_owned(),
        }
    }
}

/// "<reason> <how long to wait>", in whatever language `reason` and `wait` (the texts for
/// one minute and for `{minutes}` minutes) are: the one rule for every language.
pub(crate) fn wait_message(reason: &str, retry_after_secs: u64, wait: [&str; 2]) -> String {
    let minutes = retry_after_secs.div_ceil(60).max(1);
    let wait = if minutes == 1 {
        wait[0].to_owned()
    } else {
        wait[1].replace("{minutes}", &minutes.to_string())
    };
    format!("{reason} {wait}")
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// The input was refused, with a message fit to show next to the form (e.g. "An account
    /// with this email already exists.").
    #[error("{0}")]
    Invalid(String),
    /// Refused until later: too many requests from this address (`RateLimited`) or too
    /// many failed sign-ins (`AccountLocked`). Show
    /// [`AuthError::user_message_after`]`(Some(retry_after_secs))`.
    #[error("{TOO_MANY_PREFIX}{code}|{retry_after_secs}")]
    TooManyAttempts {
        /// `RateLimited` or `AccountLocked`.
        code: AuthError,
        /// Seconds until trying again makes sense.
        retry_after_secs: u64,
    },
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
    type Encoder = AuthFnErrorEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = AuthFnError::from(value);
        // Arguments that do not decode are the client's mistake: a 400, not the 500 every
        // server function error gets by default.
        #[cfg(feature = "ssr")]
        if error.is_malformed_request() {
            return error.respond();
        }
        error
    }
}

// As text in resources too (they carry `Result<T, AuthFnError>` from SSR into hydration).
impl Serialize for AuthFnError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Ok(bytes) = AuthFnErrorEncoding::encode(self);
        serializer.serialize_str(&String::from_utf8_lossy(&bytes))
    }
}

impl<'de> Deserialize<'de> for AuthFnError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let Ok(error) = AuthFnErrorEncoding::decode(Bytes::from(text));
        Ok(error)
    }
}

/// The wire form of [`AuthFnError`]: its text (`SessionRequired`, `RefreshTokenError`, …).
/// Plain text rather than JSON keeps serde code for error types out of the WASM bundle.
#[doc(hidden)]
pub struct AuthFnErrorEncoding;

/// Marks the message of [`AuthFnError::Invalid`] on the wire.
const INVALID_PREFIX: &str = "Invalid|";
/// Marks [`AuthFnError::TooManyAttempts`] on the wire: `TooManyAttempts|<code>|<seconds>`.
const TOO_MANY_PREFIX: &str = "TooManyAttempts|";

impl ContentType for AuthFnErrorEncoding {
    const CONTENT_TYPE: &'static str = "text/plain";
}

impl FormatType for AuthFnErrorEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<AuthFnError> for AuthFnErrorEncoding {
    type Error = std::convert::Infallible;

    fn encode(error: &AuthFnError) -> Result<Bytes, Self::Error> {
        Ok(Bytes::from(match error {
            AuthFnError::Invalid(message) => format!("{INVALID_PREFIX}{message}"),
            // The message alone, so that it reads back as the same error.
            AuthFnError::ServerFn(ServerFnErrorErr::ServerError(message)) => message.clone(),
            other => other.to_string(),
        }))
    }
}

impl Decodes<AuthFnError> for AuthFnErrorEncoding {
    type Error = std::convert::Infallible;

    fn decode(bytes: Bytes) -> Result<AuthFnError, Self::Error> {
        let text = String::from_utf8_lossy(&bytes);
        if let Some(message) = text.strip_prefix(INVALID_PREFIX) {
            return Ok(AuthFnError::Invalid(message.to_owned()));
        }
        if let Some((code, secs)) = text
            .strip_prefix(TOO_MANY_PREFIX)
            .and_then(|rest| rest.split_once('|'))
        {
            return Ok(AuthFnError::TooManyAttempts {
                code: AuthError::from_code(code),
                retry_after_secs: secs.parse().unwrap_or(60),
            });
        }
        Ok(match text.as_ref() {
            "RefreshTokenError" => AuthFnError::RefreshTokenError,
            "NotLinked" => AuthFnError::NotLinked,
            "Unavailable" => AuthFnError::Unavailable,
            other => ServerFnErrorErr::ServerError(other.to_owned()).into(),
        })
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

/// Text a client sent, fit for one log line: escaped, and cut after 64 characters (a 50 KB
/// provider name in a URL must not become a 50 KB log line).
#[cfg(feature = "ssr")]
pub(crate) fn for_log(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    let mut shown: String = text.chars().take(MAX_CHARS).collect::<String>();
    shown = shown.escape_debug().to_string();
    if text.chars().nth(MAX_CHARS).is_some() {
        shown.push('…');
    }
    shown
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
    /// When trying again makes sense (rate limits, lockouts): `Retry-After`.
    pub retry_after: Option<std::time::Duration>,
}

#[cfg(feature = "ssr")]
impl Failure {
    /// `code` for the browser, `cause` for the log. A store that is down says when to try
    /// again, and so does the failure (`Retry-After`).
    pub fn new(
        code: AuthError,
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let cause = cause.into();
        let retry_after = cause
            .downcast_ref::<crate::store::StoreError>()
            .and_then(crate::store::StoreError::retry_after);
        Failure {
            code,
            cause: Some(cause),
            retry_after,
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
        // Causes may quote what a client sent: escaped, so a log line stays one line.
        let chain = chain.escape_debug().to_string();
        let code = self.code.code();
        match (self.code, chain.is_empty()) {
            (AuthError::Configuration | AuthError::Default, _) => {
                tracing::error!(provider, error = code, cause = %chain)
            }
            (_, true) => tracing::warn!(provider, error = code),
            (_, false) => tracing::warn!(provider, error = code, cause = %chain),
        }
        self.code
    }
}

#[cfg(feature = "ssr")]
impl From<AuthError> for Failure {
    fn from(code: AuthError) -> Self {
        Failure {
            code,
            cause: None,
            retry_after: None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AuthError {
    /// The HTTP status of a request that failed with this code: the one table that the
    /// endpoints, the extractors and the server functions answer with
    /// (docs/architecture.md › Errors). A server that cannot serve now (database down, mail
    /// server or provider unreachable, misconfiguration) is 503, never 500: the client did
    /// nothing wrong and may come back. Requests that are malformed answer 400 where they are
    /// read, whatever the code they report.
    pub fn http_status(self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AuthError::CredentialsSignin
            | AuthError::SessionRequired
            | AuthError::TwoFactorRequired => StatusCode::UNAUTHORIZED,
            AuthError::AccessDenied
            | AuthError::MissingCSRF
            | AuthError::Verification
            | AuthError::EmailNotVerified
            | AuthError::SessionNotFresh
            | AuthError::OAuthAccountNotLinked => StatusCode::FORBIDDEN,
            AuthError::RateLimited | AuthError::AccountLocked => StatusCode::TOO_MANY_REQUESTS,
            AuthError::InvalidEmail | AuthError::WeakPassword | AuthError::InvalidName => {
                StatusCode::BAD_REQUEST
            }
            AuthError::EmailTaken => StatusCode::CONFLICT,
            AuthError::SignUpDisabled => StatusCode::NOT_FOUND,
            AuthError::Configuration
            | AuthError::EmailSignin
            | AuthError::OAuthSignin
            | AuthError::OAuthCallback => StatusCode::SERVICE_UNAVAILABLE,
            AuthError::Default => StatusCode::BAD_REQUEST,
        }
    }
}

#[cfg(feature = "ssr")]
impl AuthFnError {
    /// The HTTP status this error stands for: an [`AuthError`] its
    /// [`AuthError::http_status`], `Invalid` and malformed arguments 400, `RefreshTokenError`
    /// 401, `NotLinked` 404, `TooManyAttempts` 429, `Unavailable` and other server problems 503.
    pub fn http_status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            _ if self.is_malformed_request() => StatusCode::BAD_REQUEST,
            AuthFnError::Auth(code) => code.http_status(),
            AuthFnError::RefreshTokenError => StatusCode::UNAUTHORIZED,
            AuthFnError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AuthFnError::NotLinked => StatusCode::NOT_FOUND,
            AuthFnError::Unavailable | AuthFnError::ServerFn(_) => StatusCode::SERVICE_UNAVAILABLE,
            AuthFnError::Invalid(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// Arguments that were missing or did not decode. (On the server, `Deserialization` is
    /// a request body that is not text.)
    fn is_malformed_request(&self) -> bool {
        matches!(
            self,
            AuthFnError::ServerFn(
                ServerFnErrorErr::Args(_)
                    | ServerFnErrorErr::MissingArg(_)
                    | ServerFnErrorErr::Deserialization(_)
            )
        )
    }

    /// Sets [`AuthFnError::http_status`] on the current server function's response and
    /// returns the error: a server function's `Err` is otherwise a 500, as if the server had
    /// failed. `return Err(AuthFnError::Invalid(message).respond());`
    pub fn respond(self) -> Self {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(self.http_status());
        }
        self
    }
}

/// Why the authentication configuration cannot be used.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthConfigError {
    /// No secret in production.
    MissingSecret,
    /// A secret shorter than [`MIN_SECRET_LEN`](crate::keys::MIN_SECRET_LEN) in production.
    ShortSecret {
        /// Length of the offending secret, in bytes.
        len: usize,
    },
    /// `AUTH_URL` is not an absolute http(s) URL.
    InvalidUrl(String),
    /// The development secret file could not be read or written.
    DevSecret(String),
    /// No `AUTH_URL` in production (and no explicit `AUTH_TRUST_HOST`).
    MissingUrl,
    /// A mail server is configured in production without `AUTH_URL` (mailed links would
    /// take their host from requests).
    MissingUrlForMail,
    /// A yes/no variable has another value.
    InvalidFlag {
        /// The variable, e.g. `AUTH_TRUST_HOST`.
        name: &'static str,
        /// What it was set to.
        value: String,
    },
    /// `AUTH_TRUSTED_PROXIES` has an entry that is not an address or CIDR range.
    InvalidProxies(String),
    /// A setting has a value of the wrong form.
    Invalid {
        /// The variable, e.g. `AUTH_SESSION_STRATEGY`.
        name: &'static str,
        /// What it was set to.
        value: String,
        /// What it should look like.
        expected: &'static str,
    },
}

#[cfg(feature = "ssr")]
impl std::fmt::Display for AuthConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::keys::MIN_SECRET_LEN;
        match self {
            AuthConfigError::MissingSecret => write!(
                f,
                "AUTH_SECRET is not set: production needs a random secret of at least \
                 {MIN_SECRET_LEN} bytes (generate one with `openssl rand -base64 33`)"
            ),
            AuthConfigError::ShortSecret { len } => write!(
                f,
                "AUTH_SECRET is {len} bytes long: production needs at least {MIN_SECRET_LEN} \
                 (generate one with `openssl rand -base64 33`)"
            ),
            AuthConfigError::InvalidUrl(url) => {
                write!(f, "AUTH_URL={url:?} is not an absolute http(s) URL")
            }
            AuthConfigError::DevSecret(reason) => {
                write!(f, "cannot keep the development secret: {reason}")
            }
            AuthConfigError::MissingUrl => write!(
                f,
                "AUTH_URL is not set: production needs the site's public URL (e.g. \
                 AUTH_URL=https://app.example.com) so that cookie security and links never \
                 depend on a request's Host header; behind a proxy you control, set \
                 AUTH_TRUST_HOST=true to use its forwarded host instead"
            ),
            AuthConfigError::MissingUrlForMail => write!(
                f,
                "AUTH_URL is not set: with AUTH_EMAIL_SERVER, production needs the site's public \
                 URL (e.g. AUTH_URL=https://app.example.com), because mailed links must never \
                 take their host from a request (AUTH_TRUST_HOST is not enough)"
            ),
            AuthConfigError::InvalidFlag { name, value } => {
                write!(f, "{name}={value:?} is not valid: expected true or false")
            }
            AuthConfigError::InvalidProxies(reason) => {
                write!(f, "AUTH_TRUSTED_PROXIES is not valid: {reason}")
            }
            AuthConfigError::Invalid {
                name,
                value,
                expected,
            } => write!(f, "{name}={value:?} is not valid: expected {expected}"),
        }
    }
}

#[cfg(feature = "ssr")]
impl std::error::Error for AuthConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn client_text_in_a_log_line_is_one_short_line() {
        assert_eq!(for_log("github"), "github");
        assert_eq!(for_log("a\nb\"c"), "a\\nb\\\"c");
        let long = for_log(&"x".repeat(50_000));
        assert_eq!(long, format!("{}…", "x".repeat(64)));
    }

    #[test]
    fn server_function_errors_cross_the_wire_typed() {
        for error in [
            AuthFnError::Auth(AuthError::SessionRequired),
            AuthFnError::Auth(AuthError::CredentialsSignin),
            AuthFnError::RefreshTokenError,
            AuthFnError::NotLinked,
            AuthFnError::Unavailable,
            AuthFnError::Invalid("Please enter a valid email address.".into()),
            AuthFnError::TooManyAttempts {
                code: AuthError::AccountLocked,
                retry_after_secs: 900,
            },
        ] {
            assert_eq!(AuthFnError::de(error.ser()), error);
            let json = serde_json::to_string(&error).unwrap();
            assert_eq!(serde_json::from_str::<AuthFnError>(&json).unwrap(), error);
        }
        let other = AuthFnError::ServerFn(ServerFnErrorErr::ServerError("boom".into()));
        assert_eq!(AuthFnError::de(other.ser()), other);
    }

    #[test]
    fn waits_are_told_in_whole_minutes() {
        assert_eq!(
            AuthError::AccountLocked.user_message_after(Some(900)),
            "Too many failed sign-in attempts. Try again in 15 minutes."
        );
        assert_eq!(
            AuthError::RateLimited.user_message_after(Some(7)),
            "Too many attempts. Try again in 1 minute."
        );
        assert_eq!(
            AuthError::CredentialsSignin.user_message_after(Some(60)),
            AuthError::CredentialsSignin.user_message()
        );
    }

    #[test]
    fn codes_round_trip_and_unknown_is_default() {
        for e in AuthError::ALL {
            assert_eq!(AuthError::from_code(e.code()), e);
        }
        assert_eq!(AuthError::from_code("<script>"), AuthError::Default);
    }
}
