//! The flows built on email tokens: magic-link sign-in and password reset (verification
//! links are in `verification.rs`). The HTTP side is in `actions/magic_link.rs` and
//! `actions/password_reset.rs`.

use std::sync::Arc;

use super::tokens::TokenRefused;
use crate::mail::{MailKind, Mailer};
use crate::{
    Auth, AuthError, ClientIp,
    audit::AuditEvent,
    context::RequestContext,
    error::Failure,
    limits::{LimitedAction, TooManyAttempts},
    ownership::Proof,
    providers::EmailLink,
    redirect::with_query,
    sign_in::SignedIn,
    store::{NewUser, PasswordHashError, StoreError, TokenPurpose, hash_password, normalize_email},
    validation::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, is_valid_email},
};

/// Why a password reset did not happen. The messages are fit to show next to the form.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ResetError {
    #[error("{}", .0.code.user_message_after(Some(.0.retry_after.as_secs())))]
    TooManyAttempts(TooManyAttempts),
    #[error(
        "The new password must be between {MIN_PASSWORD_LEN} and {MAX_PASSWORD_LEN} characters long."
    )]
    WeakPassword,
    #[error("This link is no longer valid. It may have been used already or expired.")]
    InvalidLink(#[source] TokenRefused),
    #[error("The password could not be changed right now. Please try again.")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ResetError {
    /// The wire code.
    pub fn code(&self) -> &'static str {
        match self {
            ResetError::TooManyAttempts(refusal) => refusal.code.code(),
            ResetError::WeakPassword => "WeakPassword",
            ResetError::InvalidLink(_) => AuthError::Verification.code(),
            ResetError::Unavailable(_) => AuthError::Configuration.code(),
        }
    }
}

impl From<TokenRefused> for Failure {
    fn from(refused: TokenRefused) -> Self {
        match refused {
            TokenRefused::Store(e) => Failure::new(AuthError::Configuration, e),
            refused => Failure::new(AuthError::Verification, refused),
        }
    }
}

impl Auth {
    fn mailer(&self) -> Option<Arc<dyn Mailer>> {
        self.config().mailer.clone()
    }

    /// Mails `link` to `to`, worded for `kind`, named after the site.
    pub(super) async fn send_mail(
        &self,
        ctx: &RequestContext,
        kind: MailKind,
        to: &str,
        link: String,
    ) -> Result<(), Failure> {
        let mailer = self.mailer().ok_or_else(|| {
            Failure::new(
                AuthError::EmailSignin,
                "no mail transport: set AUTH_EMAIL_SERVER (and AUTH_EMAIL_FROM)",
            )
        })?;
        let site = ctx.base_url.host_str().unwrap_or("localhost");
        mailer
            .send(kind.mail(
                &self.config().theme,
                &ctx.language,
                ctx.base_url.as_str(),
                site,
                to,
                link,
            ))
            .await
            .map_err(|e| Failure::new(AuthError::EmailSignin, e))
    }

    /// `POST /signin/email`: mails a sign-in link to `email` (within the per-IP limit and the
    /// address's mail budget).
    pub(crate) async fn send_sign_in_link(
        &self,
        ctx: &RequestContext,
        provider: &EmailLink,
        email: &str,
        callback_url: Option<&str>,
    ) -> Result<(), Failure> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Email)
            .await?;
        if !is_valid_email(email) {
            return Err(Failure::new(AuthError::EmailSignin, "not an email address"));
        }
        let email = normalize_email(email);
        self.limits().count_mail_to(&email).await?;
        let token = self
            .issue_email_token(&email, TokenPurpose::SignIn)
            .await
            .map_err(|e| Failure::new(AuthError::EmailSignin, e))?;
        let link = with_query(
            &self.absolute_url(ctx, &self.paths().callback(&provider.id)),
            &[
                ("callbackUrl", callback_url),
                ("token", Some(&token)),
                ("email", Some(&email)),
            ],
        );
        self.send_mail(ctx, MailKind::SignIn, &email, link).await
    }

    /// The POST of the magic link's confirmation page: uses the token, creates the user of a
    /// new address (verified), and signs in.
    pub(crate) async fn sign_in_with_link(
        &self,
        ctx: &RequestContext,
        provider: &EmailLink,
        token: &str,
        email: &str,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        let identifier = self.redeem_email_token(token, TokenPurpose::SignIn).await?;
        if identifier != normalize_email(email) {
            return Err(TokenRefused::WrongEmail.into());
        }
        let configuration = |e: StoreError| Failure::new(AuthError::Configuration, e);
        let (user, is_new) = match self
            .store()
            .user_by_email(&identifier)
            .await
            .map_err(configuration)?
        {
            Some(user) => (user, false),
            None => {
                let created = self
                    .store()
                    .create_user(NewUser {
                        email: Some(identifier.clone()),
                        ..NewUser::default()
                    })
                    .await;
                match created {
                    Ok(user) => (user, true),
                    // The same address signed in from another tab meanwhile.
                    Err(StoreError::Conflict) => (
                        self.store()
                            .user_by_email(&identifier)
                            .await
                            .map_err(configuration)?
                            .ok_or_else(|| configuration(StoreError::Conflict))?,
                        false,
                    ),
                    Err(e) => return Err(configuration(e)),
                }
            }
        };
        // The link proves the address: an account nobody had verified is taken back from
        // whoever created it (README › Security). A user just created has nothing to take.
        let user = if is_new {
            self.store()
                .mark_email_verified(&user.id)
                .await
                .map_err(configuration)?;
            self.store()
                .user_by_id(&user.id)
                .await
                .map_err(configuration)?
                .unwrap_or(user)
        } else {
            self.address_proven(ctx, user, Proof::SignInLink)
                .await
                .map_err(configuration)?
        };
        self.complete_sign_in(ctx, &user, &provider.id, is_new, callback_url)
            .await
    }

    /// `POST /password/forgot`: after the per-IP limit, answers at once; the lookup and the
    /// mail happen afterwards, so the answer and its timing are the same whether or not the
    /// address has an account.
    pub(crate) async fn request_password_reset(
        &self,
        ctx: &RequestContext,
        email: &str,
    ) -> Result<(), TooManyAttempts> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Email)
            .await?;
        if !is_valid_email(email) {
            return Ok(());
        }
        let email = normalize_email(email);
        let auth = self.clone();
        let ctx = ctx.clone();
        tokio::spawn(async move {
            if let Err(failure) = auth.send_password_reset(&ctx, &email).await {
                failure.log("password-reset");
            }
        });
        Ok(())
    }

    async fn send_password_reset(&self, ctx: &RequestContext, email: &str) -> Result<(), Failure> {
        let configuration = |e: StoreError| Failure::new(AuthError::Configuration, e);
        if self
            .store()
            .user_by_email(email)
            .await
            .map_err(configuration)?
            .is_none()
        {
            tracing::info!("password reset asked for an address without an account");
            return Ok(());
        }
        // Nobody waits for this answer: over the budget, the mail is just not sent.
        if self.limits().count_mail_to(email).await.is_err() {
            return Ok(());
        }
        let token = self
            .issue_email_token(email, TokenPurpose::PasswordReset)
            .await
            .map_err(configuration)?;
        let page = match &self.config().pages.reset_password {
            Some(page) => self.absolute_url(ctx, page),
            None => self.absolute_url(ctx, &self.paths().reset_password()),
        };
        let link = with_query(&page, &[("token", Some(&token))]);
        self.send_mail(ctx, MailKind::PasswordReset, email, link)
            .await
    }

    /// `POST /password/reset`: sets the new password, verifies the email (the link proved
    /// it), ends every session of the user, and signs them in on this device.
    pub(crate) async fn reset_password_in(
        &self,
        ctx: &RequestContext,
        token: &str,
        password: &str,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, ResetError> {
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
            .await
            .map_err(ResetError::TooManyAttempts)?;
        // Checked, and hashed, before the token is used: a rejected password or a busy
        // hashing queue does not burn the link.
        let length = password.chars().count();
        if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
            return Err(ResetError::WeakPassword);
        }
        let hash = hash_password(password.to_owned())
            .await
            .map_err(|e| match e {
                PasswordHashError::Busy => ResetError::TooManyAttempts(TooManyAttempts::busy()),
                e => ResetError::Unavailable(e.into()),
            })?;
        let email = self
            .redeem_email_token(token, TokenPurpose::PasswordReset)
            .await
            .map_err(|refused| match refused {
                TokenRefused::Store(e) => ResetError::Unavailable(e.into()),
                refused => ResetError::InvalidLink(refused),
            })?;
        let unavailable = |e: StoreError| ResetError::Unavailable(e.into());
        let user = self
            .store()
            .user_by_email(&email)
            .await
            .map_err(unavailable)?
            .ok_or(ResetError::InvalidLink(TokenRefused::Unknown))?;
        // An account nobody had verified is taken back first: its sessions, password, linked
        // accounts and mailed links go (README › Security). Then the new password, and only
        // then the end of every session: a sign-in with the old password cannot slip in
        // between.
        let user = self
            .address_proven(ctx, user, Proof::PasswordReset)
            .await
            .map_err(unavailable)?;
        self.store()
            .set_password_hash(&user.id, &hash)
            .await
            .map_err(unavailable)?;
        let ended = self
            .revoke_all_sessions(&user.id, None)
            .await
            .map_err(unavailable)?;
        self.void_mailed_links(ctx, &user)
            .await
            .map_err(unavailable)?;
        self.limits().clear_sign_in_failures(&email).await;
        tracing::info!(user = %user.id, sessions_ended = ended, "password reset");
        self.audit(ctx, Some(&user.id), AuditEvent::PasswordReset, None)
            .await;
        self.complete_sign_in(ctx, &user, "credentials", false, callback_url)
            .await
            .map_err(|failure| ResetError::Unavailable(failure.into()))
    }
}
