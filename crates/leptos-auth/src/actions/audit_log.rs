//! `GET /audit`: the signed-in user's security events, newest first.

use axum::{extract::State, http::HeaderMap};
use serde_json::{Value, json};

use super::reply::{Reply, failure};
use crate::Auth;

/// `GET /audit`: `[{"time","event","provider","ip","userAgent"}]`, newest first.
pub(super) async fn audit(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    match auth.recent_security_events(&headers).await {
        Ok(events) => Reply::json(Value::Array(
            events
                .into_iter()
                .map(|e| {
                    json!({
                        "time": e.time_iso8601(),
                        "event": e.event,
                        "provider": e.provider,
                        "ip": e.ip,
                        "userAgent": e.user_agent,
                    })
                })
                .collect(),
        )),
        Err(code) => failure(code.code(), code.http_status()),
    }
}
