//! The magic link (the `email` provider): `POST /signin/email` (from `signin.rs`) mails it;
//! the link opens a confirmation page (`GET /callback/email`, from `callback.rs`) whose
//! CSRF-checked POST uses the token and signs in. A link alone never signs anyone in: mail
//! scanners open links too.

use std::collections::HashMap;

use axum::http::StatusCode;

use super::{reply::Reply, request::ActionPost};
use crate::redirect::with_query;
use crate::{
    Auth, AuthError, audit::AuditEvent, context::RequestContext, error::Failure, i18n::Text,
    limits::TooManyAttempts, pages, providers::EmailLink, validation::is_valid_email,
};

/// `POST /signin/email`: mails the link, then "check your email" (`/verify-request`).
pub(super) async fn send_sign_in_link(
    auth: &Auth,
    req: &ActionPost,
    provider: &EmailLink,
) -> Result<Reply, Reply> {
    let email = req.field("email").unwrap_or_default();
    if !is_valid_email(email) {
        return Err(auth.error_reply(
            &req.ctx,
            req.json_mode,
            AuthError::EmailSignin,
            StatusCode::BAD_REQUEST,
            &[],
        ));
    }
    let callback_url = req.callback_url();
    auth.send_sign_in_link(&req.ctx, provider, email, callback_url.as_deref())
        .await
        .map_err(|failure| failure_reply(auth, req, &provider.id, failure))?;
    let url = with_query(
        &auth.absolute_url(&req.ctx, &auth.paths().verify_request()),
        &[("provider", Some(&provider.id)), ("type", Some("email"))],
    );
    Ok(Reply::outcome(req.json_mode, url, StatusCode::OK))
}

/// A failed email action: 429 for the rate limit, else the error page with the code.
fn failure_reply(auth: &Auth, req: &ActionPost, provider_id: &str, failure: Failure) -> Reply {
    let code = failure.log(provider_id);
    if let (AuthError::RateLimited, Some(retry_after)) = (code, failure.retry_after) {
        return auth.rate_limited_reply(
            &req.ctx,
            req.json_mode,
            TooManyAttempts { code, retry_after },
        );
    }
    let status = code.http_status();
    // A store that is down says when to come back.
    auth.error_reply(&req.ctx, req.json_mode, code, status, &[])
        .with_retry_after(failure.retry_after)
}

/// `GET /callback/email?token&email&callbackUrl`: the confirmation page. Following the link
/// (as a mail scanner does) uses nothing.
pub(super) fn confirm_sign_in_page(
    auth: &Auth,
    ctx: &RequestContext,
    provider: &EmailLink,
    query: &HashMap<String, String>,
) -> Reply {
    let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let callback_url = auth.allowed_callback_url(ctx, query.get("callbackUrl").map(String::as_str));
    let (csrf_token, csrf_cookie) = auth.csrf_token(ctx);
    let html = pages::confirm_link(
        auth,
        ctx,
        pages::LinkPage {
            title: ctx.language.text(Text::SignIn),
            text: &ctx
                .language
                .fill(Text::SignInAs, &[("email", field("email"))]),
            button: ctx.language.text(Text::SignIn),
            action: &auth.paths().callback(&provider.id),
            csrf_token: &csrf_token,
            fields: &[
                ("token", field("token")),
                ("email", field("email")),
                ("callbackUrl", callback_url.as_deref().unwrap_or_default()),
            ],
        },
    );
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie)
}

/// `POST /callback/email` (CSRF checked by the caller): the confirmation page's form; uses
/// the token and signs in.
pub(super) async fn sign_in_with_link(
    auth: &Auth,
    req: &ActionPost,
    provider: &EmailLink,
) -> Result<Reply, Reply> {
    let token = req.field("token").unwrap_or_default();
    let email = req.field("email").unwrap_or_default();
    let callback_url = req.callback_url();
    match auth
        .sign_in_with_link(&req.ctx, provider, token, email, callback_url.as_deref())
        .await
    {
        Ok(signed_in) => Ok(Reply::signed_in(req.json_mode, signed_in)),
        Err(failure) => {
            auth.audit(&req.ctx, None, AuditEvent::SignInFailed, Some(&provider.id))
                .await;
            Err(failure_reply(auth, req, &provider.id, failure))
        }
    }
}
