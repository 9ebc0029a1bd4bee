//! `GET /signout` (confirmation page) and `POST /signout` (ends the session).

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
};

use super::with_query;
use crate::auth::{
    Auth,
    core::{PostBody, Reply},
    pages,
};

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    if let Some(page) = &auth.config().pages.sign_out {
        return Reply::redirect(page.clone());
    }
    let ctx = auth.context(&headers);
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    Reply::html(StatusCode::OK, pages::sign_out(&auth, &ctx, &csrf_token)).with_cookies(csrf_cookie)
}

pub(super) async fn post(State(auth): State<Auth>, headers: HeaderMap, body: Bytes) -> Reply {
    let ctx = auth.context(&headers);
    let body = PostBody::parse(&headers, &body);
    let json_mode = body.json_mode(&headers);
    if !auth.csrf_valid(&ctx, body.field("csrfToken")) {
        let url = with_query(
            &auth.auth_url(&ctx, "/signout"),
            &[("error", Some("MissingCSRF"))],
        );
        return Reply::outcome(json_mode, url, StatusCode::FORBIDDEN);
    }
    let token = auth.read_token(&ctx);
    auth.config().events.sign_out(token.as_ref()).await;
    let cookies = ctx
        .jar
        .expire_chunked(&ctx.jar.session_token(), &ctx.cookies);
    let url = auth.redirect_target(&ctx, body.field("callbackUrl")).await;
    Reply::outcome(json_mode, url, StatusCode::OK).with_cookies(cookies)
}
