//! The credentials provider: form fields in, a user (or nothing) out.

use std::{collections::HashMap, sync::Arc};

use async_trait::async_trait;

use crate::{
    store::{Store, User, hash_password, needs_rehash, verify_password},
    validation::MAX_PASSWORD_LEN,
};

/// A failure of an `authorize` function (not "wrong credentials"): logged with its causes,
/// answered `Configuration`.
pub type AuthorizeError = Box<dyn std::error::Error + Send + Sync>;

/// Checks submitted credentials. `Ok(None)` means "wrong credentials" and ends in
/// `CredentialsSignin`; `Err` is for failures (e.g. the database is down).
#[async_trait]
pub trait Authorize: Send + Sync + 'static {
    /// Checks the form fields (everything posted except `csrfToken`, `callbackUrl`, `json`).
    async fn authorize(
        &self,
        credentials: &HashMap<String, String>,
        store: &dyn Store,
    ) -> Result<Option<User>, AuthorizeError>;
}

/// A credentials provider (Auth.js `Credentials({ authorize })`).
#[derive(Clone)]
pub struct Credentials {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) authorize: Arc<dyn Authorize>,
    /// Whether `POST /signup` creates accounts that sign in here: only the store's own
    /// email-and-password check can sign in the accounts sign-up creates.
    pub(crate) sign_up: bool,
}

impl Credentials {
    /// A provider with id `credentials` and a custom `authorize`.
    pub fn new(authorize: impl Authorize) -> Self {
        Credentials {
            id: "credentials".into(),
            name: "Credentials".into(),
            authorize: Arc::new(authorize),
            sign_up: false,
        }
    }

    /// Email and password checked against the users in the store (argon2id). People can
    /// sign up (`POST /api/auth/signup`, `<SignUpForm>`) unless [`Credentials::without_sign_up`].
    pub fn email_password() -> Self {
        Credentials {
            name: "Email".into(),
            sign_up: true,
            ..Credentials::new(EmailPassword)
        }
    }

    /// No sign-up: accounts come only from the app's own code or the admin CLI
    /// (`POST /api/auth/signup` answers 404 `SignUpDisabled`).
    pub fn without_sign_up(mut self) -> Self {
        self.sign_up = false;
        self
    }

    /// Changes the name shown on the sign-in page.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

/// `authorize` of [`Credentials::email_password`].
struct EmailPassword;

#[async_trait]
impl Authorize for EmailPassword {
    async fn authorize(
        &self,
        credentials: &HashMap<String, String>,
        store: &dyn Store,
    ) -> Result<Option<User>, AuthorizeError> {
        let email = credentials
            .get("email")
            .map(String::as_str)
            .unwrap_or_default();
        let password = credentials.get("password").cloned().unwrap_or_default();
        if email.is_empty() || password.is_empty() {
            return Ok(None);
        }
        let found = store.user_with_password(email).await?;
        let (user, hash) = match found {
            // Longer than sign-up allows: it cannot be the password, and it still costs the
            // same time as a wrong one (the dummy hash is verified instead).
            Some(_) if password.chars().count() > MAX_PASSWORD_LEN => (None, None),
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        // Verified even when there is no such user, so both cases take the same time.
        let valid = verify_password(password.clone(), hash.clone()).await?;
        let user = user.filter(|_| valid);
        // An imported bcrypt hash is replaced by argon2id now that the password is known.
        if let (Some(user), Some(hash)) = (&user, &hash)
            && needs_rehash(hash)
        {
            match hash_password(password).await {
                Ok(new_hash) => store.set_password_hash(&user.id, &new_hash).await?,
                Err(e) => tracing::warn!(error = %e, "could not rehash a legacy password"),
            }
        }
        Ok(user)
    }
}
