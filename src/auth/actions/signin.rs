//! `GET /signin` (the sign-in page, built-in or custom) and `POST /signin/:provider`.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};

use super::with_query;
use crate::auth::{
    Auth, Provider,
    core::{PostBody, Reply},
    pages,
};

pub(super) async fn get(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let callback_url = query.get("callbackUrl").map(String::as_str);
    let error = query.get("error").map(String::as_str);
    if let Some(page) = &auth.config().pages.sign_in {
        return Reply::redirect(with_query(
            page,
            &[("callbackUrl", callback_url), ("error", error)],
        ));
    }
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    let callback_cookie = callback_url.map(|url| {
        let value = percent_encoding::utf8_percent_encode(url, percent_encoding::NON_ALPHANUMERIC);
        ctx.jar
            .set(&ctx.jar.callback_url(), &value.to_string(), None)
    });
    let html = pages::sign_in(&auth, &ctx, &csrf_token, callback_url, error);
    Reply::html(StatusCode::OK, html).with_cookies(csrf_cookie.into_iter().chain(callback_cookie))
}

pub(super) async fn post(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let ctx = auth.context(&headers);
    let body = PostBody::parse(&headers, &body);
    let json_mode = body.json_mode(&headers);
    let callback_url = body.field("callbackUrl");
    if !auth.csrf_valid(&ctx, body.field("csrfToken")) {
        let url = with_query(
            &auth.auth_url(&ctx, "/signin"),
            &[("error", Some("MissingCSRF"))],
        );
        return Reply::outcome(json_mode, url, StatusCode::FORBIDDEN);
    }
    match auth.provider(&provider) {
        Some(Provider::OAuth(provider)) => {
            match auth.oauth_authorization(&ctx, provider, callback_url).await {
                Ok((url, cookies)) => {
                    Reply::outcome(json_mode, url, StatusCode::OK).with_cookies(cookies)
                }
                Err(error) => {
                    let url = with_query(
                        &auth.auth_url(&ctx, "/error"),
                        &[("error", Some(error.code()))],
                    );
                    Reply::outcome(json_mode, url, StatusCode::BAD_GATEWAY)
                }
            }
        }
        // Credentials post straight to /callback/credentials; here they get the form.
        Some(Provider::Credentials(_)) => {
            let url = with_query(
                &auth.auth_url(&ctx, "/signin"),
                &[("callbackUrl", callback_url)],
            );
            Reply::outcome(json_mode, url, StatusCode::OK)
        }
        None => {
            tracing::warn!(provider, "sign-in requested for an unknown provider");
            let url = with_query(
                &auth.auth_url(&ctx, "/signin"),
                &[("error", Some("OAuthSignin"))],
            );
            Reply::outcome(json_mode, url, StatusCode::BAD_REQUEST)
        }
    }
}
