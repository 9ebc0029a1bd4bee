//! `GET /providers`: every configured provider with its sign-in and callback URLs.

use axum::{extract::State, http::HeaderMap};
use serde_json::{Map, json};

use crate::auth::{Auth, core::Reply};

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    let providers: Map<_, _> = auth
        .config()
        .providers
        .iter()
        .map(|p| {
            let id = p.id();
            let entry = json!({
                "id": id,
                "name": p.name(),
                "type": p.kind(),
                "signinUrl": auth.auth_url(&ctx, &format!("/signin/{id}")),
                "callbackUrl": auth.auth_url(&ctx, &format!("/callback/{id}")),
            });
            (id.to_owned(), entry)
        })
        .collect();
    Reply::json(providers.into())
}
