//! The two-factor endpoints (docs/architecture.md › Two-factor). Every POST is CSRF-checked
//! and answers JSON, or for a plain HTML form (it posts a `callbackUrl`, and no `json`) a 302
//! back to that page (`?error=<code>` on failure) — except where backup codes are made, which
//! a form gets as a page that shows them once:
//! - `GET /two-factor`: the page of a sign-in waiting for its second factor;
//! - `POST /two-factor/verify` `{code, trustDevice}`: completes it (`{"url"}` and the session);
//! - `GET /two-factor/status`: `{"enabled","settingUp","backupCodesLeft"}`;
//! - `POST /two-factor/setup`: `{"secret","uri","qrSvg"}` (fresh session);
//! - `POST /two-factor/enable` `{code}`: `{"backupCodes"}` (fresh session);
//! - `POST /two-factor/disable` `{code}` (fresh session);
//! - `POST /two-factor/backup-codes`: `{"backupCodes"}` (fresh session);
//! - `POST /reauthenticate` `{password}` or `{code}`: the session is fresh again.
//!
//! A refusal is `{"error":<stable code>,"message"}` with a 4xx status (503 when the store is
//! down).

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use serde_json::{Value, json};

use super::{
    reply::{Reply, answer},
    request::CheckedPost,
};
use crate::{Auth, pages, redirect::with_query, two_factor::TwoFactorError};

/// A refusal: JSON with the code and message, or for a form a 302 back with `?error=`.
fn refusal(req: &CheckedPost, error: &TwoFactorError) -> Reply {
    if let TwoFactorError::Unavailable(cause) = error {
        tracing::error!(error = %cause, "a two-factor request failed on the store");
    }
    let reply = if req.callback_url().is_some() && !req.json_mode {
        answer(req, Err((error.code(), error.http_status())))
    } else {
        Reply::json(json!({ "error": error.code(), "message": error.to_string() }))
            .with_status(error.http_status())
    };
    reply.with_retry_after(error.retry_after())
}

fn respond(req: &CheckedPost, outcome: Result<Value, TwoFactorError>) -> Result<Reply, Reply> {
    match outcome {
        Ok(body) => Ok(answer(req, Ok(body))),
        Err(error) => Err(refusal(req, &error)),
    }
}

/// New backup codes: JSON, or for a form the page that shows them once.
fn backup_codes(
    auth: &Auth,
    req: &CheckedPost,
    outcome: Result<Vec<String>, TwoFactorError>,
) -> Result<Reply, Reply> {
    match (outcome, req.callback_url().filter(|_| !req.json_mode)) {
        (Ok(codes), Some(page)) => Ok(Reply::html(
            StatusCode::OK,
            pages::backup_codes(auth, &req.ctx, &codes, &page),
        )),
        (Ok(codes), None) => Ok(Reply::json(json!({ "backupCodes": codes }))),
        (Err(error), _) => Err(refusal(req, &error)),
    }
}

/// `GET /two-factor`.
pub(super) async fn page(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let pending = auth.has_pending_second_factor(&ctx);
    let html = pages::two_factor(
        &auth,
        &ctx,
        &csrf_token,
        pending,
        query.get("error").map(String::as_str),
    );
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie)
}

/// `POST /two-factor/verify`.
pub(super) async fn verify(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let code = req.field("code").unwrap_or_default();
    let trust_device = req
        .field("trustDevice")
        .is_some_and(|v| v == "true" || v == "on");
    match auth
        .verify_second_factor(&req.ctx, code, trust_device)
        .await
    {
        Ok(signed_in) => Ok(Reply::signed_in(req.json_mode, signed_in)),
        Err(error) => {
            if let TwoFactorError::Unavailable(cause) = &error {
                tracing::error!(error = %cause, "a second factor could not be checked");
            }
            let page = auth.absolute_url(&req.ctx, &auth.paths().two_factor());
            let url = with_query(&page, &[("error", Some(error.code()))]);
            let reply = if req.json_mode {
                Reply::json(
                    json!({ "error": error.code(), "message": error.to_string(), "url": url }),
                )
                .with_status(error.http_status())
            } else {
                Reply::redirect(url)
            };
            Err(reply.with_retry_after(error.retry_after()))
        }
    }
}

/// `GET /two-factor/status`.
pub(super) async fn status(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    let outcome = match auth.sessions().read_session(&ctx).await {
        Ok(Some(token)) => auth.two_factor_status(&token.sub).await,
        Ok(None) => Err(TwoFactorError::SessionRequired),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(status) => Reply::json_of(&status),
        Err(error) => Reply::json(json!({ "error": error.code(), "message": error.to_string() }))
            .with_status(error.http_status())
            .with_retry_after(error.retry_after()),
    }
}

/// `POST /two-factor/setup`.
pub(super) async fn set_up(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let outcome = auth.set_up_two_factor_in(&req.ctx).await;
    respond(&req, outcome.map(|setup| json!(setup)))
}

/// `POST /two-factor/enable`.
pub(super) async fn enable(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let code = req.field("code").unwrap_or_default();
    let outcome = auth.enable_two_factor_in(&req.ctx, code).await;
    backup_codes(&auth, &req, outcome)
}

/// `POST /two-factor/disable`.
pub(super) async fn disable(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let code = req.field("code").unwrap_or_default();
    let outcome = auth.disable_two_factor_in(&req.ctx, code).await;
    respond(&req, outcome.map(|()| json!({ "ok": true })))
}

/// `POST /two-factor/backup-codes`.
pub(super) async fn regenerate(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let outcome = auth.regenerate_backup_codes_in(&req.ctx).await;
    backup_codes(&auth, &req, outcome)
}

/// `POST /reauthenticate`.
pub(super) async fn reauthenticate(
    State(auth): State<Auth>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    let outcome = auth
        .reauthenticate_in(&req.ctx, req.field("password"), req.field("code"))
        .await;
    match outcome {
        Ok(cookies) => Ok(answer(&req, Ok(json!({ "ok": true }))).with_cookies(cookies)),
        Err(error) => Err(refusal(&req, &error)),
    }
}
