//! Sign-in providers: plain data plus the few functions each kind needs. Presets for
//! well-known providers ([`github`], [`google`], [`spotify`]) start from their documented
//! endpoints.

mod credentials;
mod email;
mod oauth;
mod passkey;
mod presets;

pub use crate::provider_kind::ProviderKind;
pub use credentials::{Authorize, AuthorizeError, Credentials};
pub use email::EmailLink;
pub use oauth::{
    ClientAuth, OAuth, OAuthKind, Profile, ProfileMapper, github_profile, spotify_profile,
    standard_claims_profile,
};
pub use passkey::Passkey;
pub use presets::{github, github_enterprise, google, spotify, with_github_emails_url};

/// A configured sign-in provider.
#[derive(Clone)]
pub enum Provider {
    /// Username/password (or any form fields) checked by an `authorize` function.
    Credentials(Credentials),
    /// OAuth 2.0 or OpenID Connect.
    OAuth(Box<OAuth>),
    /// Magic link by email.
    Email(EmailLink),
    /// Passkeys (WebAuthn).
    Passkey(Passkey),
}

impl Provider {
    /// The id in URLs: `/api/auth/callback/<id>`.
    pub fn id(&self) -> &str {
        match self {
            Provider::Credentials(p) => &p.id,
            Provider::OAuth(p) => &p.id,
            Provider::Email(p) => &p.id,
            Provider::Passkey(p) => &p.id,
        }
    }

    /// Name shown on sign-in buttons.
    pub fn name(&self) -> &str {
        match self {
            Provider::Credentials(p) => &p.name,
            Provider::OAuth(p) => &p.name,
            Provider::Email(p) => &p.name,
            Provider::Passkey(p) => &p.name,
        }
    }

    /// The Auth.js provider type.
    pub fn kind(&self) -> ProviderKind {
        match self {
            Provider::Credentials(_) => ProviderKind::Credentials,
            Provider::OAuth(p) => p.provider_kind(),
            Provider::Email(_) => ProviderKind::Email,
            Provider::Passkey(_) => ProviderKind::WebAuthn,
        }
    }
}

impl From<Credentials> for Provider {
    fn from(p: Credentials) -> Self {
        Provider::Credentials(p)
    }
}

impl From<EmailLink> for Provider {
    fn from(p: EmailLink) -> Self {
        Provider::Email(p)
    }
}

impl From<Passkey> for Provider {
    fn from(p: Passkey) -> Self {
        Provider::Passkey(p)
    }
}

impl From<OAuth> for Provider {
    fn from(p: OAuth) -> Self {
        Provider::OAuth(Box::new(p))
    }
}
