//! `GET /signup` (the sign-up page, built-in or the app's own) and `POST /signup`, which
//! creates a password account (README › Sign-up). The flow is in `register.rs`.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};
use serde_json::json;

use super::{reply::Reply, request::CheckedPost};
use crate::redirect::with_query;
use crate::{
    Auth, AuthError,
    pages::{self, SignUpPage},
    register::{SignUpFields, SignUpRefused, SignedUp},
};

pub(super) async fn get(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let callback_url =
        auth.allowed_callback_url(&ctx, query.get("callbackUrl").map(String::as_str));
    // Only known codes are passed on: the page shows a message chosen by the code.
    let error = query
        .get("error")
        .map(|code| AuthError::from_code(code).code());
    let field = |name: &str| query.get(name).map(String::as_str);
    if let Some(page) = &auth.config().pages.sign_up {
        return Reply::redirect(with_query(
            page,
            &[
                ("callbackUrl", callback_url.as_deref()),
                ("error", error),
                ("email", field("email")),
                ("name", field("name")),
                ("retryAfter", field("retryAfter")),
            ],
        ));
    }
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let html = pages::sign_up(
        &auth,
        &ctx,
        SignUpPage {
            csrf_token: &csrf_token,
            callback_url: callback_url.as_deref(),
            error,
            retry_after_secs: field("retryAfter").and_then(|s| s.parse().ok()),
            email: field("email").unwrap_or_default(),
            name: field("name").unwrap_or_default(),
        },
    );
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie)
}

/// `POST /signup` `{email, password, name?, callbackUrl?}`: signed in, `{"url"}` or a 302
/// there; where the address must be verified first, `{"url", "emailVerificationRequired":
/// true}` or a 302 to "check your email". A refusal is `{"error", "message"}` with its
/// status, or a 302 back to the sign-up page with `?error=` and what was typed.
pub(super) async fn post(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let callback_url = req.callback_url();
    let fields = SignUpFields {
        email: req.field("email").unwrap_or_default(),
        name: req.field("name"),
        password: req.field("password").unwrap_or_default(),
    };
    let refused = match auth
        .sign_up_in(&req.ctx, fields, callback_url.as_deref())
        .await
    {
        Ok(SignedUp::SignedIn(signed_in)) => return Ok(Reply::signed_in(req.json_mode, signed_in)),
        Ok(SignedUp::CheckEmail(url)) if req.json_mode => {
            return Ok(Reply::json(
                json!({ "url": url, "emailVerificationRequired": true }),
            ));
        }
        Ok(SignedUp::CheckEmail(url)) => return Ok(Reply::redirect(url)),
        Err(refused) => refused,
    };
    let (code, retry_after) = match refused {
        SignUpRefused::Disabled => (AuthError::SignUpDisabled, None),
        SignUpRefused::TooManyAttempts(refusal) => (refusal.code, Some(refusal.retry_after)),
        // A store that is down (logged by the flow) is `Configuration`, a 503, as in every
        // other flow.
        SignUpRefused::Invalid(error) => {
            (error.auth_error().unwrap_or(AuthError::Configuration), None)
        }
        // The account exists; only its first sign-in was refused (the `sign_in` callback):
        // the error page, as for any refused sign-in.
        SignUpRefused::SignIn(failure) => {
            let provider = auth.sign_up_provider().unwrap_or("credentials").to_owned();
            let code = failure.log(&provider);
            let status = code.http_status();
            return Err(auth.error_reply(&req.ctx, req.json_mode, code, status, &[]));
        }
    };
    let reply = if req.json_mode {
        let message = req.ctx.language.error_message(code, None);
        Reply::json(json!({ "error": code.code(), "message": message }))
            .with_status(code.http_status())
    } else {
        let page = match &auth.config().pages.sign_up {
            Some(page) => page.clone(),
            None => auth.absolute_url(&req.ctx, &auth.paths().sign_up()),
        };
        // What was typed comes back (never the password), within reason for a URL.
        let typed = |name| req.field(name).filter(|v| v.len() <= 320);
        let retry = retry_after.map(|d| d.as_secs().to_string());
        Reply::redirect(with_query(
            &page,
            &[
                ("error", Some(code.code())),
                ("callbackUrl", callback_url.as_deref()),
                ("email", typed("email")),
                ("name", typed("name")),
                ("retryAfter", retry.as_deref()),
            ],
        ))
    };
    Err(reply.with_retry_after(retry_after))
}
