//! Creating password users (sign-up page, admin CLI) with the checks both need.

use crate::{
    Auth,
    store::{NewUser, StoreError, User, hash_password, normalize_email},
    validation::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, is_valid_email},
};

/// Why a user could not be registered. The messages are fit to show to the person signing
/// up; the cause of `Unavailable` is for the log only.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Not an email address.
    #[error("Please enter a valid email address.")]
    InvalidEmail,
    /// Too short or too long.
    #[error(
        "The password must be between {MIN_PASSWORD_LEN} and {MAX_PASSWORD_LEN} characters long."
    )]
    WeakPassword,
    /// Name too long.
    #[error("The name must be at most 100 characters.")]
    InvalidName,
    /// Someone already signed up with this email.
    #[error("An account with this email already exists.")]
    EmailTaken,
    /// Hashing or the database failed.
    #[error("The account could not be created right now. Please try again.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Auth {
    /// Creates a user who signs in with email and password (hashed with argon2id).
    pub async fn register(
        &self,
        email: &str,
        name: Option<&str>,
        password: &str,
    ) -> Result<User, RegisterError> {
        if !is_valid_email(email) {
            return Err(RegisterError::InvalidEmail);
        }
        let length = password.chars().count();
        if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
            return Err(RegisterError::WeakPassword);
        }
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        if name.is_some_and(|n| n.chars().count() > 100) {
            return Err(RegisterError::InvalidName);
        }
        let password_hash = hash_password(password.to_owned())
            .await
            .map_err(|e| RegisterError::Unavailable(e.into()))?;
        let new_user = NewUser {
            name: name.map(str::to_owned),
            email: Some(normalize_email(email)),
            image: None,
            password_hash: Some(password_hash),
            data: None,
        };
        let user = self
            .store()
            .create_user(new_user)
            .await
            .map_err(|e| match e {
                StoreError::Conflict => RegisterError::EmailTaken,
                e => RegisterError::Unavailable(e.into()),
            })?;
        self.config().events.create_user(&user).await;
        Ok(user)
    }
}
