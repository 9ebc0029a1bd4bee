//! `GET /verify-request`: "check your email", shown after a magic link was sent.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};

use super::reply::Reply;
use crate::{Auth, pages};

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    if let Some(page) = &auth.config().pages.verify_request {
        return Reply::redirect(page.clone());
    }
    let ctx = auth.context(&headers);
    Reply::html(StatusCode::OK, pages::verify_request(&ctx))
}
