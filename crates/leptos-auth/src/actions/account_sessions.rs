//! The signed-in devices of the account (docs/architecture.md › Account safety):
//! `GET /sessions` lists them, `POST /sessions/revoke` ends one or all others. JSON, or for a
//! plain HTML form (it posts a `callbackUrl`) a 302 back to that page.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde_json::{Value, json};

use super::{
    reply::{Reply, answer, failure},
    request::CheckedPost,
};
use crate::{Auth, devices::RevokeSessions};

pub(super) async fn list(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    match auth.list_sessions(&headers).await {
        Ok(sessions) => Reply::json(serde_json::to_value(sessions).unwrap_or_default()),
        Err(code) => failure(code.code(), code.http_status()),
    }
}

pub(super) async fn revoke(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let others = matches!(req.body.0.get("others"), Some(Value::Bool(true)))
        || req.field("others") == Some("true");
    let which = match (others, req.field("id")) {
        (true, _) => RevokeSessions::Others,
        (false, Some(id)) if !id.is_empty() => RevokeSessions::One(id.to_owned()),
        _ => {
            return Err(answer(
                &req,
                Err(("InvalidRequest", StatusCode::BAD_REQUEST)),
            ));
        }
    };
    match auth.revoke_sessions_in(&req.ctx, which).await {
        Ok(revoked) => {
            let body = json!({ "revoked": revoked.count });
            Ok(answer(&req, Ok(body)).with_cookies(revoked.cookies))
        }
        Err(code) => Err(answer(&req, Err((code.code(), code.http_status())))),
    }
}
