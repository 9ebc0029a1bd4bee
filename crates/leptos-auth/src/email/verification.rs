//! Verification links: "confirm that this address is yours".
//!
//! A verification link is mailed to the address of an account, but whoever follows it did
//! not necessarily create that account: anybody can sign up with somebody else's address.
//! So the link never signs a browser into an account by itself. Its page asks the browser
//! to show it is the account's — by being signed in as it already, or by typing its
//! password — and offers the owner of the address who did *not* create the account "this
//! was not me", which takes the account back from whoever did (see `ownership.rs`). The
//! HTTP side is in `actions/email_verification.rs`; README › Email shows the page.

use axum::http::request::Parts;

use super::tokens::TokenRefused;
use crate::mail::MailKind;
use crate::{
    Auth, AuthError, ClientIp,
    audit::AuditEvent,
    context::RequestContext,
    error::Failure,
    limits::LimitedAction,
    ownership::Proof,
    redirect::with_query,
    sign_in::SignedIn,
    store::{StoreError, TokenPurpose, User, normalize_email, verify_password},
    validation::MAX_PASSWORD_LEN,
};

/// What the browser that opened a verification link answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Confirmation<'a> {
    /// "This is my account": the browser is signed in as the account of `email`, or
    /// `password` is that account's password.
    Mine {
        email: &'a str,
        password: Option<&'a str>,
    },
    /// "This was not me": somebody else created the account with this address, `email`,
    /// which the page showed (a link whose token was mailed to another address is refused:
    /// it would sign this browser in to somebody else's account).
    NotMine { email: &'a str },
}

fn store_failure(e: StoreError) -> Failure {
    Failure::new(AuthError::Configuration, e)
}

impl Auth {
    /// Mails `user` a link that verifies their email address, leading back to
    /// `callback_url` (checked by the redirect rule) once verified. Sign-up calls this for
    /// new password accounts; `POST /email/send-verification` calls it for the signed-in
    /// user.
    pub async fn send_verification_email(
        &self,
        request: &Parts,
        user: &User,
        callback_url: Option<&str>,
    ) -> Result<(), AuthError> {
        let ctx = self.context_of(request);
        self.send_verification_in(&ctx, user, callback_url)
            .await
            .map_err(|failure| failure.log("email"))
    }

    pub(crate) async fn send_verification_in(
        &self,
        ctx: &RequestContext,
        user: &User,
        callback_url: Option<&str>,
    ) -> Result<(), Failure> {
        let Some(email) = user.email.as_deref() else {
            return Err(Failure::new(
                AuthError::EmailSignin,
                "the user has no email",
            ));
        };
        if user.email_verified.is_some() {
            return Ok(());
        }
        self.limits().count_mail_to(email).await?;
        let token = self
            .issue_email_token(email, TokenPurpose::VerifyEmail)
            .await
            .map_err(store_failure)?;
        let callback_url = self.allowed_callback_url(ctx, callback_url);
        let link = with_query(
            &self.absolute_url(ctx, &self.paths().verify_email()),
            &[
                ("token", Some(&token)),
                ("email", Some(email)),
                ("callbackUrl", callback_url.as_deref()),
            ],
        );
        self.send_mail(ctx, MailKind::VerifyEmail, email, link)
            .await
    }

    /// The user the request's browser is signed in as, if any.
    pub(crate) async fn signed_in_account(
        &self,
        ctx: &RequestContext,
    ) -> Result<Option<User>, StoreError> {
        match self.sessions().read_token(ctx).await {
            Some(token) => self.store().user_by_id(&token.sub).await,
            None => Ok(None),
        }
    }

    /// The POST of the verification link's page. `Mine`: once the browser showed it is the
    /// account's, uses the token, marks the address verified and gives the browser a fresh
    /// session (so its claims see the change); a wrong password keeps the token for another
    /// try. `NotMine`: uses the token and takes the account back for the link's holder, who
    /// is signed in.
    pub(crate) async fn verify_email_in(
        &self,
        ctx: &RequestContext,
        token: &str,
        confirmation: Confirmation<'_>,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        let (user, provider) = match confirmation {
            Confirmation::Mine { email, password } => {
                let user = self.prove_account(ctx, email, password).await?;
                let identifier = self
                    .redeem_email_token(token, TokenPurpose::VerifyEmail)
                    .await?;
                if user.email.as_deref().map(normalize_email) != Some(identifier) {
                    return Err(TokenRefused::WrongEmail.into());
                }
                if user.email_verified.is_none() {
                    self.store()
                        .mark_email_verified(&user.id)
                        .await
                        .map_err(store_failure)?;
                    self.audit(ctx, Some(&user.id), AuditEvent::EmailVerified, None)
                        .await;
                }
                self.void_mailed_links(ctx, &user)
                    .await
                    .map_err(store_failure)?;
                let user = self
                    .store()
                    .user_by_id(&user.id)
                    .await
                    .map_err(store_failure)?
                    .unwrap_or(user);
                (user, "credentials")
            }
            Confirmation::NotMine { email } => {
                let identifier = self
                    .redeem_email_token(token, TokenPurpose::VerifyEmail)
                    .await?;
                if identifier != normalize_email(email) {
                    return Err(TokenRefused::WrongEmail.into());
                }
                let user = self
                    .store()
                    .user_by_email(&identifier)
                    .await
                    .map_err(store_failure)?
                    .ok_or(TokenRefused::Unknown)?;
                // A verified account was proven by its owner already: nothing to take back.
                if user.email_verified.is_some() {
                    return Err(Failure::new(
                        AuthError::Verification,
                        "\"not me\" for an account whose address is verified",
                    ));
                }
                let user = self
                    .address_proven(ctx, user, Proof::VerificationLink)
                    .await
                    .map_err(store_failure)?;
                (user, "email")
            }
        };
        self.sessions().end_session_row(ctx).await;
        self.complete_sign_in(ctx, &user, provider, false, callback_url)
            .await
    }

    /// The account of `email`, once the browser showed it is that account's: it is signed in
    /// as it, or `password` is its password. Wrong passwords are limited per address and
    /// count towards the account's lockout, as at sign-in.
    async fn prove_account(
        &self,
        ctx: &RequestContext,
        email: &str,
        password: Option<&str>,
    ) -> Result<User, Failure> {
        let email = normalize_email(email);
        if let Some(user) = self
            .signed_in_account(ctx)
            .await
            .map_err(store_failure)?
            .filter(|user| user.email.as_deref() == Some(email.as_str()))
        {
            return Ok(user);
        }
        self.rate_limit(ClientIp(ctx.client_ip), LimitedAction::Password)
            .await?;
        self.limits().check_lockout(&email).await?;
        let password = password.unwrap_or_default();
        let found = match password.chars().count() {
            1..=MAX_PASSWORD_LEN => self
                .store()
                .user_with_password(&email)
                .await
                .map_err(store_failure)?,
            _ => None,
        };
        let (user, hash) = found.map_or((None, None), |(user, hash)| (Some(user), Some(hash)));
        // Verified even without a hash, so an unknown address takes as long as a wrong
        // password.
        let valid = verify_password(password.to_owned(), hash)
            .await
            .map_err(Failure::from)?;
        if let Some(user) = user.filter(|_| valid) {
            self.limits().clear_sign_in_failures(&email).await;
            return Ok(user);
        }
        Err(self.wrong_password(ctx, Some(&email), "credentials").await)
    }
}

impl Auth {
    /// Sign-up with an address that has an account already, where the app does not say so
    /// (it requires verified emails, so it can answer as for a new account): the owner of the
    /// address is told instead, in a mail that leads to the sign-in page. Within the
    /// address's mail budget; a failure is logged.
    pub async fn send_account_exists_notice(&self, request: &Parts, email: &str) {
        self.account_exists_notice(&self.context_of(request), email)
            .await;
    }

    pub(crate) async fn account_exists_notice(&self, ctx: &RequestContext, email: &str) {
        let email = normalize_email(email);
        if self.limits().count_mail_to(&email).await.is_err() {
            return;
        }
        let page = match &self.config().pages.sign_in {
            Some(page) => self.absolute_url(ctx, page),
            None => self.absolute_url(ctx, &self.paths().sign_in()),
        };
        if let Err(failure) = self
            .send_mail(ctx, MailKind::AccountExists, &email, page)
            .await
        {
            failure.log("email");
        }
    }
}
