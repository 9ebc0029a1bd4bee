//! "Forgot your password": `POST /password/forgot` mails a reset link, which opens the
//! built-in page (`GET /password/reset`); its CSRF-checked POST uses the token and sets the
//! new password.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use serde_json::json;

use super::{
    reply::{Reply, answer},
    request::CheckedPost,
};
use crate::redirect::with_query;
use crate::{
    Auth,
    email::{ResetError, looks_like_a_token},
    pages,
};

/// `POST /password/forgot` `{"email"}`: always `200 {"ok":true}` (or, from a plain form,
/// a 302 to its `callbackUrl`), whether or not the address has an account.
pub(super) async fn forgot_password(
    State(auth): State<Auth>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
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
    req: CheckedPost,
) -> Result<Reply, Reply> {
    let token = req.field("token").unwrap_or_default();
    let password = req.field("password").unwrap_or_default();
    let callback_url = req.callback_url();
    match auth
        .reset_password_in(&req.ctx, token, password, callback_url.as_deref())
        .await
    {
        Ok(signed_in) => Ok(Reply::signed_in(req.json_mode, signed_in)),
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
