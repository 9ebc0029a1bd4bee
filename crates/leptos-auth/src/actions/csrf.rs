//! `GET /csrf`: the CSRF token, setting its cookie when missing or invalid.

use axum::{extract::State, http::HeaderMap};
use serde_json::json;

use super::reply::Reply;
use crate::Auth;

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    let (token, cookie) = auth.csrf_token(&ctx);
    Reply::json(json!({ "csrfToken": token })).with_cookies(cookie)
}
