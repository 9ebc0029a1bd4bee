//! Sign-in providers: plain data plus the few functions each kind needs.

mod credentials;

pub use credentials::{Authorize, Credentials};

/// A configured sign-in provider.
#[derive(Clone)]
pub enum Provider {
    /// Username/password (or any form fields) checked by an `authorize` function.
    Credentials(Credentials),
}

impl Provider {
    /// The id in URLs: `/api/auth/callback/<id>`.
    pub fn id(&self) -> &str {
        match self {
            Provider::Credentials(p) => &p.id,
        }
    }

    /// Name shown on sign-in buttons.
    pub fn name(&self) -> &str {
        match self {
            Provider::Credentials(p) => &p.name,
        }
    }

    /// The Auth.js provider type: `credentials`, `oauth`, `oidc` or `email`.
    pub fn kind(&self) -> &'static str {
        match self {
            Provider::Credentials(_) => "credentials",
        }
    }
}

impl From<Credentials> for Provider {
    fn from(p: Credentials) -> Self {
        Provider::Credentials(p)
    }
}
