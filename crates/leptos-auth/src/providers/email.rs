//! The magic-link provider (Auth.js `EmailProvider`): the user types an address, gets a
//! link, and is signed in by following it. It needs a [`crate::mail::Mailer`] in the config.

/// Sign-in by a link sent to the user's address. A new address creates a user whose email
/// is verified (it just proved it can read mail there).
#[derive(Debug, Clone)]
pub struct EmailLink {
    /// The id in URLs (`email`, as in Auth.js).
    pub id: String,
    /// Shown on the sign-in page.
    pub name: String,
}

impl EmailLink {
    /// The Auth.js-compatible provider: id `email`, name `Email`.
    pub fn magic_link() -> Self {
        EmailLink {
            id: "email".into(),
            name: "Email".into(),
        }
    }
}
