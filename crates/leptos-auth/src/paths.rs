//! The URLs of the Auth.js endpoints under a configurable base path, so that apps link to
//! them without hard-coding `/api/auth/...`.

/// Where the Auth.js REST endpoints are mounted unless configured otherwise (docs/architecture.md ›
/// Endpoints).
pub const DEFAULT_BASE_PATH: &str = "/api/auth";

/// The endpoint paths of one deployment. Get it from [`crate::client::SessionContext::paths`] in
/// components, or build it from the base path.
///
/// ```
/// use leptos_auth::paths::AuthPaths;
///
/// let paths = AuthPaths::default();
/// assert_eq!(paths.sign_out(), "/api/auth/signout");
/// assert_eq!(paths.sign_in_with("github"), "/api/auth/signin/github");
/// assert_eq!(AuthPaths::new("/auth").callback("credentials"), "/auth/callback/credentials");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPaths {
    base_path: String,
}

impl Default for AuthPaths {
    fn default() -> Self {
        AuthPaths::new(DEFAULT_BASE_PATH)
    }
}

impl AuthPaths {
    /// The paths under `base_path` (e.g. `/api/auth`; a trailing slash is ignored).
    pub fn new(base_path: impl Into<String>) -> Self {
        let mut base_path = base_path.into();
        while base_path.ends_with('/') {
            base_path.pop();
        }
        AuthPaths { base_path }
    }

    /// The base path itself.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    fn join(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// `GET`: the CSRF token.
    pub fn csrf(&self) -> String {
        self.join("/csrf")
    }

    /// `GET`: the configured providers.
    pub fn providers(&self) -> String {
        self.join("/providers")
    }

    /// `GET`: the session; `POST`: update it.
    pub fn session(&self) -> String {
        self.join("/session")
    }

    /// `GET`: the sign-in page (built-in, or a redirect to the app's own).
    pub fn sign_in(&self) -> String {
        self.join("/signin")
    }

    /// `POST`: start signing in with an OAuth or email provider.
    pub fn sign_in_with(&self, provider_id: &str) -> String {
        self.join(&format!("/signin/{provider_id}"))
    }

    /// `GET|POST`: where a sign-in completes; credentials forms post here.
    pub fn callback(&self, provider_id: &str) -> String {
        self.join(&format!("/callback/{provider_id}"))
    }

    /// `GET`: the sign-out confirmation page; `POST`: sign out.
    pub fn sign_out(&self) -> String {
        self.join("/signout")
    }

    /// `GET`: the error page for `?error=<Code>`.
    pub fn error(&self) -> String {
        self.join("/error")
    }

    /// `GET`: "check your email".
    pub fn verify_request(&self) -> String {
        self.join("/verify-request")
    }

    /// `GET`: the signed-in user's sessions.
    pub fn sessions(&self) -> String {
        self.join("/sessions")
    }

    /// `POST` `{"id"}` or `{"others":true}`: ends sessions of the signed-in user.
    pub fn revoke_sessions(&self) -> String {
        self.join("/sessions/revoke")
    }

    /// `GET`: the signed-in user's recent security events (the audit log).
    pub fn audit(&self) -> String {
        self.join("/audit")
    }

    /// `POST` `{"currentPassword","newPassword"}`: changes the signed-in user's password.
    pub fn change_password(&self) -> String {
        self.join("/password/change")
    }

    /// `/password/forgot`: asks for a password-reset link (docs/architecture.md › Account safety).
    pub fn forgot_password(&self) -> String {
        self.join("/password/forgot")
    }

    /// `/password/reset`: sets a new password with the token of such a link; its `GET` is
    /// the built-in reset page.
    pub fn reset_password(&self) -> String {
        self.join("/password/reset")
    }

    /// `/email/send-verification`: mails the signed-in user a link that verifies their
    /// email address.
    pub fn send_verification(&self) -> String {
        self.join("/email/send-verification")
    }

    /// `/email/verify`: where a verification link leads (a confirmation page whose `POST`
    /// verifies).
    pub fn verify_email(&self) -> String {
        self.join("/email/verify")
    }

    /// `POST` `{"action":"register"|"authenticate"}`: the options of a passkey ceremony
    /// (Auth.js `webauthn-options`); the answer to them goes to
    /// [`callback`](Self::callback)`("passkey")`.
    pub fn webauthn_options(&self, provider_id: &str) -> String {
        self.join(&format!("/webauthn-options/{provider_id}"))
    }

    /// `GET`: the signed-in user's passkeys.
    pub fn passkeys(&self) -> String {
        self.join("/passkeys")
    }

    /// `POST` `{"id","name"}`: renames one of the signed-in user's passkeys.
    pub fn rename_passkey(&self) -> String {
        self.join("/passkeys/rename")
    }

    /// `POST` `{"id"}`: deletes one of the signed-in user's passkeys.
    pub fn delete_passkey(&self) -> String {
        self.join("/passkeys/delete")
    }

    /// `GET`: the browser side of passkey sign-in and sign-up (JavaScript), loaded by
    /// [`crate::client::PasskeyButton`] and [`crate::client::PasskeySignUp`].
    pub fn passkey_sign_in_script(&self) -> String {
        self.join("/passkey-sign-in.js")
    }

    /// `GET`: the browser side of [`crate::client::PasskeyManager`] (JavaScript).
    pub fn passkey_manager_script(&self) -> String {
        self.join("/passkey-manager.js")
    }

    /// `POST`: removes the signed-in user's password, when they have a passkey to sign in
    /// with instead.
    pub fn remove_password(&self) -> String {
        self.join("/password/remove")
    }

    /// `GET`: the built-in sign-up page (or a redirect to `pages.sign_up`); `POST`
    /// `{email, password, name?, callbackUrl?}`: creates a password account.
    pub fn sign_up(&self) -> String {
        self.join("/signup")
    }

    /// `GET`: the page that asks for the second factor of a pending sign-in (built in, or
    /// `pages.two_factor`).
    pub fn two_factor(&self) -> String {
        self.join("/two-factor")
    }

    /// `POST` `{code, trustDevice}`: completes a pending sign-in with an authenticator code
    /// or a backup code.
    pub fn verify_two_factor(&self) -> String {
        self.join("/two-factor/verify")
    }

    /// `GET`: whether the signed-in user has two-factor sign-in, and how many backup codes
    /// are left.
    pub fn two_factor_status(&self) -> String {
        self.join("/two-factor/status")
    }

    /// `POST`: starts setting up two-factor sign-in (a new secret, its QR code).
    pub fn set_up_two_factor(&self) -> String {
        self.join("/two-factor/setup")
    }

    /// `POST` `{code}`: turns two-factor sign-in on; answers the backup codes.
    pub fn enable_two_factor(&self) -> String {
        self.join("/two-factor/enable")
    }

    /// `POST` `{code}`: turns two-factor sign-in off.
    pub fn disable_two_factor(&self) -> String {
        self.join("/two-factor/disable")
    }

    /// `POST`: new backup codes (the old ones stop working).
    pub fn regenerate_backup_codes(&self) -> String {
        self.join("/two-factor/backup-codes")
    }

    /// `POST` `{password}` or `{code}`: proves again who the signed-in user is, so that
    /// sensitive actions are allowed for `fresh_age`.
    pub fn reauthenticate(&self) -> String {
        self.join("/reauthenticate")
    }
}
