//! The passkey provider (Auth.js `Passkey`, a WebAuthn provider): sign-in with a credential
//! kept by the device or a password manager, no email typed (docs/architecture.md › Passkeys).

/// Sign-in with passkeys: WebAuthn discoverable credentials, with user verification
/// (fingerprint, face, device PIN). The relying party is the site itself: its ID is the host
/// of the site URL, its origin the site URL. Browsers refuse WebAuthn on an IP-address
/// origin, so use `http://localhost:<port>` in development.
#[derive(Debug, Clone)]
pub struct Passkey {
    /// The id in URLs (`passkey`, as in Auth.js): `/api/auth/callback/passkey`.
    pub id: String,
    /// Shown on the sign-in page.
    pub name: String,
    /// At most this many passkeys per account.
    pub max_per_user: usize,
    /// Whether someone signed out may create an account with an email and a passkey and no
    /// password (the email is verified later, as for any sign-up).
    pub allow_sign_up: bool,
}

impl Passkey {
    /// The Auth.js-compatible provider: id `passkey`, name `Passkey`, 20 per account,
    /// passkey sign-up allowed. Adding or removing one needs a fresh session
    /// (`SessionOptions::fresh_age`).
    pub fn new() -> Self {
        Passkey {
            id: "passkey".into(),
            name: "Passkey".into(),
            max_per_user: 20,
            allow_sign_up: true,
        }
    }
}

impl Default for Passkey {
    fn default() -> Self {
        Passkey::new()
    }
}
