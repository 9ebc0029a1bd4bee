//! Secrets as types: a client secret or a provider token never prints itself, even through
//! `{:?}` in a log line or a panic message.

use std::fmt;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps the secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The secret itself, for the one place that must send it.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }
    };
}

secret_type!(
    /// An OAuth client secret (`AUTH_<PROVIDER>_SECRET`).
    ///
    /// ```
    /// use leptos_auth::secret::ClientSecret;
    ///
    /// let secret = ClientSecret::new("s3cr3t");
    /// assert_eq!(format!("{secret:?}"), "ClientSecret([redacted])");
    /// assert_eq!(secret.secret(), "s3cr3t");
    /// ```
    ClientSecret
);

secret_type!(
    /// A provider access token: kept on the server, used for API calls as the user.
    AccessToken
);

secret_type!(
    /// A provider refresh token: kept on the server, spent to get a new access token.
    RefreshToken
);
