//! [`ProviderKind`], the Auth.js provider type: on the wire, in the store and in the client.

use serde::{Deserialize, Serialize};

/// The Auth.js provider type; on the wire its name (`credentials`, `oauth`, `oidc`, `email`,
/// `webauthn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// Form fields checked by an `authorize` function.
    Credentials,
    /// OAuth 2.0 with a userinfo endpoint.
    OAuth,
    /// OpenID Connect.
    Oidc,
    /// Magic link by email.
    Email,
    /// Passkeys (WebAuthn): the browser's credential prompt, no form.
    WebAuthn,
}

impl ProviderKind {
    /// The wire name: `credentials`, `oauth`, `oidc`, `email` or `webauthn`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::Credentials => "credentials",
            ProviderKind::OAuth => "oauth",
            ProviderKind::Oidc => "oidc",
            ProviderKind::Email => "email",
            ProviderKind::WebAuthn => "webauthn",
        }
    }

    /// Parses a wire name.
    pub fn from_wire(name: &str) -> Option<Self> {
        [
            ProviderKind::Credentials,
            ProviderKind::OAuth,
            ProviderKind::Oidc,
            ProviderKind::Email,
            ProviderKind::WebAuthn,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }

    /// Whether signing in leaves the site for the provider (a button rather than a form).
    pub fn redirects(self) -> bool {
        matches!(self, ProviderKind::OAuth | ProviderKind::Oidc)
    }
}

// By hand through its name: smaller in the WASM bundle than the derived enum code.
impl Serialize for ProviderKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProviderKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        ProviderKind::from_wire(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown provider type {name:?}")))
    }
}
