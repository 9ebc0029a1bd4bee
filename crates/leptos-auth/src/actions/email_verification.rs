//! Email verification: `POST /email/send-verification` mails a link to a signed-in user's
//! address; the link opens `GET /email/verify`, whose CSRF-checked POST confirms the address
//! (with the account's password or session) or takes the account back ("This was not me").

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use serde_json::json;

use super::{
    reply::{Reply, answer, failure},
    request::CheckedPost,
};
use crate::redirect::with_query;
use crate::{
    Auth, AuthError,
    email::{Confirmation, looks_like_a_token},
    limits::TooManyAttempts,
    pages,
    store::normalize_email,
    validation::is_valid_email,
};

/// `POST /email/send-verification`: mails the signed-in user a verification link (which
/// leads to `callbackUrl` once used). `{"ok":true}`, or from a plain form a 302 to
/// `callbackUrl` with `verification=sent`.
pub(super) async fn send_verification(
    State(auth): State<Auth>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    if let Err(refusal) = auth
        .rate_limit(
            crate::ClientIp(req.ctx.client_ip),
            crate::limits::LimitedAction::Email,
        )
        .await
    {
        return Err(auth.rate_limited_reply(&req.ctx, req.json_mode, refusal));
    }
    let Some(token) = auth.sessions().read_token(&req.ctx).await else {
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
    req: CheckedPost,
) -> Result<Reply, Reply> {
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
        Ok(signed_in) => Ok(Reply::signed_in(req.json_mode, signed_in)),
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
