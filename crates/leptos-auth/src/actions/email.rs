//! The email endpoints: `POST /signin/email` (from `signin.rs`), the magic link's
//! confirmation page and its POST (`/callback/email`, from `callback.rs`),
//! `POST /password/forgot`, `GET|POST /password/reset`, `POST /email/send-verification` and
//! `GET|POST /email/verify`. Links open a page; only its POST (CSRF-checked) uses the token.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use serde_json::json;

use super::{
    reply::{Reply, with_query},
    request::ActionPost,
    sessions::{answer, failure},
};
use crate::{
    AuditEvent, Auth, AuthError, TooManyAttempts,
    core::RequestContext,
    email::{Confirmation, ResetError, looks_like_a_token},
    error::Failure,
    is_valid_email, pages,
    providers::EmailLink,
    store::normalize_email,
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
            title: "Sign in",
            text: &format!("Sign in as {}?", field("email")),
            button: "Sign in",
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
        Ok(signed_in) => Ok(Reply::outcome(req.json_mode, signed_in.url, StatusCode::OK)
            .with_cookies(signed_in.cookies)),
        Err(failure) => {
            auth.audit(&req.ctx, None, AuditEvent::SignInFailed, Some(&provider.id))
                .await;
            Err(failure_reply(auth, req, &provider.id, failure))
        }
    }
}

/// `POST /password/forgot` `{"email"}`: always `200 {"ok":true}` (or, from a plain form,
/// a 302 to its `callbackUrl`), whether or not the address has an account.
pub(super) async fn forgot_password(
    State(auth): State<Auth>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    req.require_csrf()?;
    let email = req.field("email").unwrap_or_default();
    match auth.request_password_reset(&req.ctx, email).await {
        Ok(()) => Ok(answer(&req, Ok(json!({ "ok": true })))),
        Err(refusal) => Err(auth.rate_limited_reply(&req.ctx, req.json_mode, refusal)),
    }
}

/// `GET /password/reset?token=`: the built-in "choose a new password" page.
pub(super) async fn reset_password_page(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let token = query.get("token").map(String::as_str).unwrap_or_default();
    let error = query.get("error").map(String::as_str);
    let html = pages::reset_password(&auth, &ctx, &csrf_token, token, error);
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie)
}

/// `POST /password/reset` `{"token","password"}`: the new password, every session ended,
/// and a new one on this device: `{"url"}` (JSON) or a 302 to `callbackUrl`. A failure is
/// `{"error","message"}`, or a 302 back to the reset page with `?error=`.
pub(super) async fn reset_password(
    State(auth): State<Auth>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    req.require_csrf()?;
    let token = req.field("token").unwrap_or_default();
    let password = req.field("password").unwrap_or_default();
    let callback_url = req.callback_url();
    match auth
        .reset_password_in(&req.ctx, token, password, callback_url.as_deref())
        .await
    {
        Ok(signed_in) => Ok(Reply::outcome(req.json_mode, signed_in.url, StatusCode::OK)
            .with_cookies(signed_in.cookies)),
        Err(error) => {
            let (status, retry_after) = match &error {
                ResetError::TooManyAttempts(refusal) => {
                    (StatusCode::TOO_MANY_REQUESTS, Some(refusal.retry_after))
                }
                ResetError::WeakPassword => (StatusCode::BAD_REQUEST, None),
                ResetError::InvalidLink(cause) => {
                    tracing::warn!(cause = %cause, "password reset refused");
                    (StatusCode::FORBIDDEN, None)
                }
                ResetError::Unavailable(cause) => {
                    tracing::error!(cause = %cause, "password reset failed");
                    (StatusCode::SERVICE_UNAVAILABLE, None)
                }
            };
            let reply = if req.json_mode {
                Reply::json(json!({ "error": error.code(), "message": error.to_string() }))
                    .with_status(status)
            } else {
                let page = match &auth.config().pages.reset_password {
                    Some(page) => page.clone(),
                    None => auth.absolute_url(&req.ctx, &auth.paths().reset_password()),
                };
                // The page keeps the token so that a weak password can be retried with it.
                let token = Some(token).filter(|t| looks_like_a_token(t));
                Reply::redirect(with_query(
                    &page,
                    &[("token", token), ("error", Some(error.code()))],
                ))
            };
            Err(reply.with_retry_after(retry_after))
        }
    }
}

/// `POST /email/send-verification`: mails the signed-in user a verification link (which
/// leads to `callbackUrl` once used). `{"ok":true}`, or from a plain form a 302 to
/// `callbackUrl` with `verification=sent`.
pub(super) async fn send_verification(
    State(auth): State<Auth>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    req.require_csrf()?;
    if let Err(refusal) = auth
        .rate_limit(
            crate::ClientIp(req.ctx.client_ip),
            crate::LimitedAction::Email,
        )
        .await
    {
        return Err(auth.rate_limited_reply(&req.ctx, req.json_mode, refusal));
    }
    let Some(token) = auth.read_token(&req.ctx).await else {
        let code = AuthError::SessionRequired;
        return Err(failure(code.code(), code.http_status()));
    };
    let user = match auth.store().user_by_id(&token.sub).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            let code = AuthError::SessionRequired;
            return Err(failure(code.code(), code.http_status()));
        }
        Err(e) => {
            tracing::error!(error = %e, "send-verification");
            let code = AuthError::Configuration;
            return Err(failure(code.code(), code.http_status()));
        }
    };
    let callback_url = req.callback_url();
    if let Err(failure) = auth
        .send_verification_in(&req.ctx, &user, callback_url.as_deref())
        .await
    {
        let code = failure.log("email");
        let status = code.http_status();
        return Err(answer(&req, Err((code.code(), status))).with_retry_after(failure.retry_after));
    }
    match callback_url.filter(|_| !req.json_mode) {
        Some(page) => Ok(Reply::redirect(with_query(
            &page,
            &[("verification", Some("sent"))],
        ))),
        None => Ok(Reply::json(json!({ "ok": true }))),
    }
}

/// `GET /email/verify?token&email&callbackUrl`: the page of a verification link. Nothing is
/// used until its form is posted; see `email/verification.rs` for what it asks.
pub(super) async fn verify_email_page(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let field = |name: &str| query.get(name).map(String::as_str).unwrap_or_default();
    let token = Some(field("token"))
        .filter(|t| looks_like_a_token(t))
        .unwrap_or_default();
    let email = Some(field("email"))
        .filter(|e| is_valid_email(e))
        .map(normalize_email)
        .unwrap_or_default();
    let callback_url =
        auth.allowed_callback_url(&ctx, query.get("callbackUrl").map(String::as_str));
    let signed_in_as_account = match auth.signed_in_account(&ctx).await {
        Ok(Some(user)) => !email.is_empty() && user.email.as_deref() == Some(email.as_str()),
        Ok(None) => false,
        Err(e) => {
            tracing::warn!(error = %e, "verification page: the session's user is unknown");
            false
        }
    };
    let error = query
        .get("error")
        .map(|code| AuthError::from_code(code).code());
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let html = pages::verify_email(
        &auth,
        &ctx,
        pages::VerifyEmailPage {
            csrf_token: &csrf_token,
            token,
            email: &email,
            callback_url: callback_url.as_deref().unwrap_or_default(),
            signed_in_as_account,
            error,
        },
    );
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie)
}

/// `POST /email/verify` `{"token","email","password"?,"intent"?}`: confirms the address of the
/// account (signed in here, or its password given), or with `intent=not-mine` takes the
/// account back. Either way this browser ends up signed in to it. A wrong password or a
/// lockout goes back to the page (the token still works); other failures are the error page.
pub(super) async fn verify_email(
    State(auth): State<Auth>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    req.require_csrf()?;
    let token = req.field("token").unwrap_or_default();
    let email = req.field("email").unwrap_or_default();
    let callback_url = req.callback_url();
    let confirmation = match req.field("intent") {
        Some("not-mine") => Confirmation::NotMine { email },
        _ => Confirmation::Mine {
            email,
            password: req.field("password"),
        },
    };
    match auth
        .verify_email_in(&req.ctx, token, confirmation, callback_url.as_deref())
        .await
    {
        Ok(signed_in) => Ok(Reply::outcome(req.json_mode, signed_in.url, StatusCode::OK)
            .with_cookies(signed_in.cookies)),
        Err(failure) => {
            let code = failure.log("email");
            let password_refused = matches!(
                code,
                AuthError::CredentialsSignin | AuthError::AccountLocked | AuthError::RateLimited
            );
            if password_refused && !req.json_mode {
                // Back to the page, whose link still works: the token was not used.
                let page = with_query(
                    &auth.absolute_url(&req.ctx, &auth.paths().verify_email()),
                    &[
                        ("token", Some(token).filter(|t| looks_like_a_token(t))),
                        ("email", Some(email).filter(|e| is_valid_email(e))),
                        ("callbackUrl", callback_url.as_deref()),
                        ("error", Some(code.code())),
                    ],
                );
                return Err(Reply::redirect(page).with_retry_after(failure.retry_after));
            }
            if let (true, Some(retry_after)) = (password_refused, failure.retry_after) {
                let refusal = TooManyAttempts { code, retry_after };
                return Err(auth.rate_limited_reply(&req.ctx, req.json_mode, refusal));
            }
            Err(auth
                .error_reply(&req.ctx, req.json_mode, code, code.http_status(), &[])
                .with_retry_after(failure.retry_after))
        }
    }
}
