//! Fresh sessions (docs/architecture.md › Fresh sessions): sensitive actions — changing the
//! password, two-factor or passkeys, unlinking a provider, ending every other session — need
//! an authentication within `fresh_age`. An older session proves again who is behind it, with
//! the password or a second-factor code (or signs in again with a passkey), and its
//! `verified_at` moves to now; its absolute lifetime does not change.

use axum::http::HeaderMap;

use super::{TwoFactorError, manage::lockout_identifier};
use crate::{
    Auth, AuthError, audit::AuditEvent, clock::now_secs, context::RequestContext,
    passwords::PasswordRefused, store::StoreError,
};

impl Auth {
    /// `Ok` when the request's user authenticated within `fresh_age`: `SessionRequired`
    /// when nobody is signed in, `SessionNotFresh` when it was longer ago. For an app's own
    /// sensitive actions (the demo's unlinking of a provider).
    pub async fn require_fresh_session(&self, headers: &HeaderMap) -> Result<(), AuthError> {
        let token = self
            .sessions()
            .read_token(&self.context(headers))
            .await
            .ok_or(AuthError::SessionRequired)?;
        match self.sessions().is_fresh(&token) {
            true => Ok(()),
            false => Err(AuthError::SessionNotFresh),
        }
    }

    /// Proves again who the signed-in user is, with `password` or a second-factor `code`
    /// (authenticator or backup code): the session's cookies, now fresh. Failures count
    /// towards the account's lockout, like sign-in's.
    pub(crate) async fn reauthenticate_in(
        &self,
        ctx: &RequestContext,
        password: Option<&str>,
        code: Option<&str>,
    ) -> Result<Vec<String>, TwoFactorError> {
        let (user, mut token) = self.two_factor_owner(ctx, false).await?;
        let code = code.map(str::trim).filter(|code| !code.is_empty());
        let password = password.filter(|password| !password.is_empty());
        match (code, password) {
            (Some(code), _) => {
                let record = self
                    .enabled_factor(&user.id)
                    .await?
                    .ok_or(TwoFactorError::InvalidRequest)?;
                self.prove_second_factor(ctx, &user, &record, code).await?;
            }
            (None, Some(password)) => self.prove_password(ctx, &user, password).await?,
            (None, None) => return Err(TwoFactorError::InvalidRequest),
        }
        token.verified_at = Some(now_secs());
        let cookies = self
            .sessions()
            .save_session(ctx, &token)
            .await
            .map_err(TwoFactorError::SignIn)?;
        self.audit(ctx, Some(&user.id), AuditEvent::Reauthenticated, None)
            .await;
        Ok(cookies)
    }

    /// Checks `password` of `user`, with the account's lockout; a wrong one is audited.
    async fn prove_password(
        &self,
        ctx: &RequestContext,
        user: &crate::store::User,
        password: &str,
    ) -> Result<(), TwoFactorError> {
        match self.confirm_password(user, password).await {
            Ok(()) => {
                self.limits()
                    .clear_sign_in_failures(&lockout_identifier(user))
                    .await;
                Ok(())
            }
            Err(PasswordRefused::NoPassword) => Err(TwoFactorError::InvalidRequest),
            Err(PasswordRefused::Wrong { lockout }) => {
                self.audit(ctx, Some(&user.id), AuditEvent::SignInFailed, None)
                    .await;
                Err(lockout.map_or(TwoFactorError::WrongPassword, TwoFactorError::from))
            }
            Err(PasswordRefused::TooManyAttempts(refusal)) => Err(refusal.into()),
            Err(PasswordRefused::Unavailable(cause)) => match cause.downcast::<StoreError>() {
                Ok(store) => Err(TwoFactorError::Unavailable(*store)),
                Err(cause) => {
                    tracing::error!(error = %cause, "password check failed");
                    Err(TwoFactorError::SignIn(AuthError::Configuration))
                }
            },
        }
    }
}
