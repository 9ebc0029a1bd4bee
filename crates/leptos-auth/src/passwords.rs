//! Changing a password while signed in: the current password is required (and wrong guesses
//! count towards the account's lockout, so a stolen session cannot brute-force it), the new
//! one must pass the sign-up rule, every other session of the user ends and every link
//! mailed for a verified account stops working.

use axum::http::request::Parts;

use crate::{
    Auth, AuthError, ClientIp,
    audit::AuditEvent,
    context::RequestContext,
    limits::{LimitedAction, LockoutCheck, TooManyAttempts},
    store::{PasswordHashError, User, hash_password, verify_password},
    validation::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN},
};

/// Why a password was not changed. The messages are fit to show next to the form; the cause
/// of `Unavailable` is for the log only.
#[derive(Debug, thiserror::Error)]
pub enum PasswordChangeError {
    /// Not signed in.
    #[error("Please sign in again.")]
    SessionRequired,
    /// The sign-in is older than `fresh_age`: re-authenticate first.
    #[error("Please confirm it is you, then try again.")]
    SessionNotFresh,
    /// The current password is wrong.
    #[error("The current password is not correct.")]
    WrongPassword,
    /// The account signs in another way and has no password to change.
    #[error("This account has no password.")]
    NoPassword,
    /// The new password is too short or too long.
    #[error(
        "The new password must be between {MIN_PASSWORD_LEN} and {MAX_PASSWORD_LEN} characters long."
    )]
    WeakPassword,
    /// Too many attempts from this address, or too many wrong passwords for this account.
    #[error("{}", .0.code.user_message_after(Some(.0.retry_after.as_secs())))]
    TooManyAttempts(TooManyAttempts),
    /// Hashing or the database failed.
    #[error("The password could not be changed right now. Please try again.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl PasswordChangeError {
    /// The wire code for JSON answers.
    pub fn code(&self) -> &'static str {
        match self {
            PasswordChangeError::SessionRequired => AuthError::SessionRequired.code(),
            PasswordChangeError::SessionNotFresh => AuthError::SessionNotFresh.code(),
            PasswordChangeError::WrongPassword => "WrongPassword",
            PasswordChangeError::NoPassword => "NoPassword",
            PasswordChangeError::WeakPassword => "WeakPassword",
            PasswordChangeError::TooManyAttempts(refusal) => refusal.code.code(),
            PasswordChangeError::Unavailable(_) => AuthError::Configuration.code(),
        }
    }
}

impl Auth {
    /// Changes the password of the request's user, then ends every other session of theirs
    /// (the current one stays signed in). Limited per address like sign-in.
    pub async fn change_password(
        &self,
        request: &Parts,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), PasswordChangeError> {
        let ctx = self.context_of(request);
        self.change_password_in(&ctx, current_password, new_password)
            .await
    }

    pub(crate) async fn change_password_in(
        &self,
        ctx: &RequestContext,
        current_password: &str,
        new_password: &str,
    ) -> Result<(), PasswordChangeError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
            .await
            .map_err(PasswordChangeError::TooManyAttempts)?;
        let token = self
            .sessions()
            .read_token(ctx)
            .await
            .ok_or(PasswordChangeError::SessionRequired)?;
        if !self.sessions().is_fresh(&token) {
            return Err(PasswordChangeError::SessionNotFresh);
        }
        let unavailable = |e: crate::store::StoreError| PasswordChangeError::Unavailable(e.into());
        let user = self
            .store()
            .user_by_id(&token.sub)
            .await
            .map_err(unavailable)?
            .ok_or(PasswordChangeError::SessionRequired)?;
        self.confirm_password(&user, current_password)
            .await
            .map_err(|refused| match refused {
                PasswordRefused::NoPassword => PasswordChangeError::NoPassword,
                PasswordRefused::Wrong { lockout: None } => PasswordChangeError::WrongPassword,
                PasswordRefused::Wrong {
                    lockout: Some(refusal),
                }
                | PasswordRefused::TooManyAttempts(refusal) => {
                    PasswordChangeError::TooManyAttempts(refusal)
                }
                PasswordRefused::Unavailable(cause) => PasswordChangeError::Unavailable(cause),
            })?;
        let email = user.email.clone().ok_or(PasswordChangeError::NoPassword)?;
        let length = new_password.chars().count();
        if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
            return Err(PasswordChangeError::WeakPassword);
        }
        let new_hash = hash_password(new_password.to_owned())
            .await
            .map_err(busy_or_unavailable)?;
        self.store()
            .set_password_hash(&user.id, &new_hash)
            .await
            .map_err(unavailable)?;
        // A reset link mailed before would set another password over this one. Not while
        // the address is unproven, though: then the mailed links are how its owner takes the
        // account back from whoever created it, who knows this password and could otherwise
        // void each link before it is used.
        if user.email_verified.is_some() {
            self.void_mailed_links(ctx, &user)
                .await
                .map_err(unavailable)?;
        }
        self.limits().clear_sign_in_failures(&email).await;
        // Whoever else holds a session (a stolen cookie, say) is out.
        let ended = self
            .revoke_all_sessions(&user.id, Some(&token))
            .await
            .map_err(unavailable)?;
        tracing::info!(user = %user.id, other_sessions_ended = ended, "password changed");
        self.audit(ctx, Some(&user.id), AuditEvent::PasswordChange, None)
            .await;
        Ok(())
    }
}

/// Why a signed-in user's current password was not confirmed.
pub(crate) enum PasswordRefused {
    /// The account has no password.
    NoPassword,
    /// Not its password (or longer than any password can be); with the lockout when this
    /// failure started one.
    Wrong { lockout: Option<TooManyAttempts> },
    /// The account was locked already, or the hashing queue is full.
    TooManyAttempts(TooManyAttempts),
    /// The store or the hashing failed.
    Unavailable(Box<dyn std::error::Error + Send + Sync>),
}

impl Auth {
    /// Checks the current `password` of the signed-in `user` — to change it, or to
    /// re-authenticate — within the account's lockout: a wrong one counts towards it, so a
    /// stolen session cannot brute-force it. Ending the run of failures is the caller's,
    /// once what the password guards is done.
    pub(crate) async fn confirm_password(
        &self,
        user: &User,
        password: &str,
    ) -> Result<(), PasswordRefused> {
        let unavailable = |e: crate::store::StoreError| PasswordRefused::Unavailable(e.into());
        let email = user.email.as_deref().ok_or(PasswordRefused::NoPassword)?;
        self.limits()
            .check_lockout(email)
            .await
            .map_err(|check| match check {
                LockoutCheck::Locked(refusal) => PasswordRefused::TooManyAttempts(refusal),
                LockoutCheck::Unavailable(e) => unavailable(e),
            })?;
        let (_, hash) = self
            .store()
            .user_with_password(email)
            .await
            .map_err(unavailable)?
            .ok_or(PasswordRefused::NoPassword)?;
        let too_long = password.chars().count() > MAX_PASSWORD_LEN;
        let valid = verify_password(password.to_owned(), Some(hash))
            .await
            .map_err(|e| match e {
                PasswordHashError::Busy => {
                    PasswordRefused::TooManyAttempts(TooManyAttempts::busy())
                }
                e => PasswordRefused::Unavailable(e.into()),
            })?;
        if too_long || !valid {
            let lockout = self.limits().count_sign_in_failure(email).await;
            return Err(PasswordRefused::Wrong { lockout });
        }
        Ok(())
    }
}

/// A full hashing queue is "try again in a second"; any other hashing failure is ours.
fn busy_or_unavailable(e: PasswordHashError) -> PasswordChangeError {
    match e {
        PasswordHashError::Busy => PasswordChangeError::TooManyAttempts(TooManyAttempts::busy()),
        e => PasswordChangeError::Unavailable(e.into()),
    }
}
