//! `GET /verify-request`: "check your email", shown after a magic link was sent.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};

use super::reply::Reply;
use crate::{Auth, pages};

/// `?kind=sign-up` after a sign-up that waits for the address to be verified.
pub(super) async fn get(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    if let Some(page) = &auth.config().pages.verify_request {
        return Reply::redirect(page.clone());
    }
    let ctx = auth.context(&headers);
    let after_sign_up = query.get("kind").is_some_and(|kind| kind == "sign-up");
    Reply::html(
        StatusCode::OK,
        pages::verify_request(&auth, &ctx, after_sign_up),
    )
}
