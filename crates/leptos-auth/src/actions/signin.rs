//! `GET /signin` (the sign-in page, built-in or custom) and `POST /signin/:provider`.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};

use super::{reply::Reply, request::CheckedPost};
use crate::redirect::with_query;
use crate::{Auth, AuthError, error::for_log, pages, providers::Provider};

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
    let retry_after = query.get("retryAfter").and_then(|s| s.parse::<u64>().ok());
    if let Some(page) = &auth.config().pages.sign_in {
        let retry_after = retry_after.map(|s| s.to_string());
        return Reply::redirect(with_query(
            page,
            &[
                ("callbackUrl", callback_url.as_deref()),
                ("error", error),
                ("retryAfter", retry_after.as_deref()),
            ],
        ));
    }
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let callback_cookie = callback_url
        .as_deref()
        .map(|url| ctx.jar.set(&ctx.jar.callback_url(), url, None));
    let html = pages::sign_in(
        &auth,
        &ctx,
        &csrf_token,
        callback_url.as_deref(),
        error,
        retry_after,
    );
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie.into_iter().chain(callback_cookie))
}

pub(super) async fn post(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    let callback_url = req.callback_url();
    match auth.provider(&provider) {
        Some(Provider::OAuth(oauth)) => {
            let (url, cookies) = auth
                .oauth_authorization(&req.ctx, oauth, callback_url.as_deref())
                .await
                .map_err(|failure| {
                    let code = failure.log(&provider);
                    auth.error_reply(&req.ctx, req.json_mode, code, StatusCode::BAD_GATEWAY, &[])
                })?;
            Ok(Reply::outcome(req.json_mode, url, StatusCode::OK).with_cookies(cookies))
        }
        Some(Provider::Email(email)) => {
            super::magic_link::send_sign_in_link(&auth, &req, email).await
        }
        // Credentials post straight to /callback/credentials, passkeys go through the
        // browser's prompt; here both get the sign-in page.
        Some(Provider::Credentials(_) | Provider::Passkey(_)) => {
            let url = with_query(
                &auth.absolute_url(&req.ctx, &auth.paths().sign_in()),
                &[("callbackUrl", callback_url.as_deref())],
            );
            Ok(Reply::outcome(req.json_mode, url, StatusCode::OK))
        }
        None => {
            tracing::warn!(provider = %for_log(&provider), "sign-in requested for an unknown provider");
            Err(auth.error_reply(
                &req.ctx,
                req.json_mode,
                AuthError::OAuthSignin,
                StatusCode::BAD_REQUEST,
                &[],
            ))
        }
    }
}
