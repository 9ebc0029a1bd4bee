//! How every sign-in ends, whatever the provider (docs/architecture.md › Life of a request):
//! the `sign_in` callback, a new session through the `jwt` callback, the audit rows and the
//! `sign_in` event, and where the browser goes next. Credentials sign-in, checked here before
//! it completes, is the one flow short enough to live with it.

use std::collections::HashMap;

use axum::http::request::Parts;

use crate::{
    Auth, AuthError, AuthFnError, ClientIp,
    audit::AuditEvent,
    callbacks::JwtTrigger,
    context::RequestContext,
    error::Failure,
    limits::{LimitedAction, TooManyAttempts},
    providers::{Credentials, Provider},
    redirect::with_query,
    store::{PasswordHashError, User},
};

/// A completed sign-in: the session cookies and where to go next. Or, with
/// `second_factor_pending`, the first factor of one: the cookies of the pending state and
/// the page that asks for the second factor.
pub(crate) struct SignedIn {
    pub cookies: Vec<String>,
    pub url: String,
    pub second_factor_pending: bool,
}

impl Auth {
    /// A wrong password for `account` (an email or user name, when the form named one):
    /// recorded in the audit log (under the account tried, when it exists, so its owner sees
    /// it) and counted towards its lockout. The failure to answer: `AccountLocked` when this
    /// one locked it, else `CredentialsSignin`.
    pub(crate) async fn wrong_password(
        &self,
        ctx: &crate::context::RequestContext,
        account: Option<&str>,
        provider: &str,
    ) -> crate::error::Failure {
        let tried = match account {
            Some(account) => self.store().user_by_email(account).await.ok().flatten(),
            None => None,
        };
        let tried = tried.as_ref().map(|u| u.id.as_str());
        self.audit(
            ctx,
            tried,
            crate::audit::AuditEvent::SignInFailed,
            Some(provider),
        )
        .await;
        if let Some(account) = account
            && let Some(lockout) = self.limits().count_sign_in_failure(account).await
        {
            self.audit(
                ctx,
                tried,
                crate::audit::AuditEvent::Lockout,
                Some(provider),
            )
            .await;
            return lockout.into();
        }
        AuthError::CredentialsSignin.into()
    }

    /// Checks credentials with the provider's `authorize` — after the per-IP rate limit and
    /// the account's lockout — then runs the `sign_in` and `jwt` callbacks and the `sign_in`
    /// event, and returns the new session. Failures count towards the lockout of the account
    /// named by the `email` (or `username`) field, whether or not it exists.
    pub(crate) async fn credentials_sign_in(
        &self,
        ctx: &RequestContext,
        client_ip: ClientIp,
        credentials: &Credentials,
        fields: &HashMap<String, String>,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        self.rate_limit(client_ip, LimitedAction::SignIn).await?;
        let account = ["email", "username"]
            .into_iter()
            .find_map(|name| fields.get(name))
            .map(|id| id.trim())
            .filter(|id| !id.is_empty());
        if let Some(account) = account {
            self.limits().check_lockout(account).await?;
        }
        let user = credentials
            .authorize
            .authorize(fields, self.store())
            .await
            .map_err(|cause| match cause.downcast::<PasswordHashError>() {
                Ok(hashing) => Failure::from(*hashing),
                Err(cause) => Failure::new(AuthError::Configuration, cause),
            })?;
        let Some(user) = user else {
            return Err(self.wrong_password(ctx, account, &credentials.id).await);
        };
        // Only after the password was right: the answer tells nothing to someone without it.
        if self.config().require_verified_email && user.email_verified.is_none() {
            let provider = Some(credentials.id.as_str());
            self.audit(ctx, Some(&user.id), AuditEvent::SignInFailed, provider)
                .await;
            return Err(Failure::new(
                AuthError::EmailNotVerified,
                "the email address is not verified yet",
            ));
        }
        let signed_in = self
            .complete_sign_in(ctx, &user, &credentials.id, false, callback_url)
            .await?;
        // A right password ends the run of failures only once the sign-in is complete:
        // second-factor failures count towards the same lockout.
        if let Some(account) = account
            && !signed_in.second_factor_pending
        {
            self.limits().clear_sign_in_failures(account).await;
        }
        Ok(signed_in)
    }

    /// The end of every sign-in, whatever the provider: the `sign_in` callback, then the
    /// second factor when the account has one (docs/architecture.md › Two-factor), then
    /// [`Auth::finish_sign_in`].
    pub(crate) async fn complete_sign_in(
        &self,
        ctx: &RequestContext,
        user: &User,
        provider_id: &str,
        is_new_user: bool,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        if !self.config().callbacks.sign_in(user, provider_id).await {
            return Err(Failure::new(
                AuthError::AccessDenied,
                "the sign_in callback refused the user",
            ));
        }
        if let Some(pending) = self
            .second_factor_gate(ctx, user, provider_id, is_new_user, callback_url)
            .await?
        {
            return Ok(pending);
        }
        self.finish_sign_in(ctx, user, provider_id, is_new_user, callback_url)
            .await
    }

    /// A session for `user`, whose factors were all checked: through the `jwt` callback
    /// (trigger `SignUp` for a new user), the audit rows and the `sign_in` event, and where
    /// to go (a new user goes to `pages.new_user` first, with `callbackUrl`).
    pub(crate) async fn finish_sign_in(
        &self,
        ctx: &RequestContext,
        user: &User,
        provider_id: &str,
        is_new_user: bool,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, Failure> {
        let trigger = if is_new_user {
            JwtTrigger::SignUp
        } else {
            JwtTrigger::SignIn
        };
        let token = self.sessions().new_token(user);
        let token = self
            .sessions()
            .run_jwt_callback(token, trigger, Some(user), None)
            .await;
        let cookies = self.sessions().start_session(ctx, &token).await?;
        if is_new_user {
            self.audit(ctx, Some(&user.id), AuditEvent::SignUp, Some(provider_id))
                .await;
        }
        self.audit(ctx, Some(&user.id), AuditEvent::SignIn, Some(provider_id))
            .await;
        self.config()
            .events
            .sign_in(user, provider_id, is_new_user)
            .await;
        let target = self.redirect_target(ctx, callback_url).await;
        let url = match self.config().pages.new_user.as_deref() {
            // As in Auth.js: a new user sees `pages.new_user` once, told where they were going.
            Some(page) if is_new_user => {
                let page = self.redirect_target(ctx, Some(page)).await;
                if page == target {
                    page
                } else {
                    with_query(&page, &[("callbackUrl", Some(&target))])
                }
            }
            _ => target,
        };
        Ok(SignedIn {
            cookies,
            url,
            second_factor_pending: false,
        })
    }

    /// Credentials sign-in for the `sign_in` server function: the session cookies and the
    /// URL to go to, or the typed error (the cause is logged).
    pub(crate) async fn sign_in_with_credentials(
        &self,
        parts: &Parts,
        provider_id: &str,
        fields: &HashMap<String, String>,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, AuthFnError> {
        let ctx = self.context_of(parts);
        let Some(Provider::Credentials(credentials)) = self.provider(provider_id) else {
            return Err(AuthError::Configuration.into());
        };
        let callback_url = self.allowed_callback_url(&ctx, callback_url);
        self.credentials_sign_in(
            &ctx,
            ClientIp(ctx.client_ip),
            credentials,
            fields,
            callback_url.as_deref(),
        )
        .await
        .map_err(|failure| {
            let code = failure.log(provider_id);
            match (code, failure.retry_after) {
                (AuthError::RateLimited | AuthError::AccountLocked, Some(retry_after)) => {
                    TooManyAttempts { code, retry_after }.into()
                }
                // The store is down: 503 with when to come back.
                (_, Some(retry_after)) => {
                    if let Some(response) =
                        leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                    {
                        response.insert_header(
                            http::header::RETRY_AFTER,
                            http::HeaderValue::from(retry_after.as_secs().max(1)),
                        );
                    }
                    AuthFnError::Unavailable.respond()
                }
                (code, None) => code.into(),
            }
        })
    }
}
