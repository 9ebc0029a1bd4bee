//! `GET /providers`: every configured provider with its sign-in and callback URLs.

use axum::{extract::State, http::HeaderMap};
use serde_json::{Map, json};

use super::reply::Reply;
use crate::Auth;

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    let paths = auth.paths();
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
                "signinUrl": auth.absolute_url(&ctx, &paths.sign_in_with(id)),
                "callbackUrl": auth.absolute_url(&ctx, &paths.callback(id)),
            });
            (id.to_owned(), entry)
        })
        .collect();
    Reply::json(providers.into())
}
