//! `GET /sessions` and `POST /sessions/revoke` (docs/architecture.md › Account safety),
//! `POST /password/change` and `GET /audit`: the account endpoints of a signed-in user. They
//! answer JSON, or — for plain HTML forms, which post a `callbackUrl` — a 302 back to that page
//! (`?error=<code>` on failure).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde_json::{Value, json};

use super::{
    reply::{Reply, with_query},
    request::ActionPost,
};
use crate::{Auth, PasswordChangeError, RevokeSessions};

pub(super) async fn list(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    match auth.list_sessions(&headers).await {
        Ok(sessions) => Reply::json(serde_json::to_value(sessions).unwrap_or_default()),
        Err(code) => failure(code.code(), code.http_status()),
    }
}

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

pub(super) async fn revoke(State(auth): State<Auth>, req: ActionPost) -> Result<Reply, Reply> {
    req.require_csrf()?;
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

pub(super) async fn change_password(
    State(auth): State<Auth>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    req.require_csrf()?;
    let current = req.field("currentPassword").unwrap_or_default();
    let new = req.field("newPassword").unwrap_or_default();
    match auth.change_password_in(&req.ctx, current, new).await {
        Ok(()) => Ok(answer(&req, Ok(json!({ "ok": true })))),
        Err(error) => {
            let status = match &error {
                PasswordChangeError::SessionRequired => StatusCode::UNAUTHORIZED,
                PasswordChangeError::WrongPassword => StatusCode::FORBIDDEN,
                PasswordChangeError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
                PasswordChangeError::Unavailable(cause) => {
                    tracing::error!(cause = %cause, "password change failed");
                    StatusCode::SERVICE_UNAVAILABLE
                }
                _ => StatusCode::BAD_REQUEST,
            };
            let retry_after = match &error {
                PasswordChangeError::TooManyAttempts(refusal) => Some(refusal.retry_after),
                _ => None,
            };
            let reply = if req.callback_url().is_some() && !req.json_mode {
                answer(&req, Err((error.code(), status)))
            } else {
                Reply::json(json!({ "error": error.code(), "message": error.to_string() }))
                    .with_status(status)
            };
            Err(reply.with_retry_after(retry_after))
        }
    }
}

pub(super) fn failure(code: &str, status: StatusCode) -> Reply {
    Reply::json(json!({ "error": code })).with_status(status)
}

/// JSON, or for a plain form (it posts a `callbackUrl`) a 302 back to its page.
pub(super) fn answer(req: &ActionPost, outcome: Result<Value, (&str, StatusCode)>) -> Reply {
    match (req.callback_url().filter(|_| !req.json_mode), outcome) {
        (Some(page), Ok(_)) => Reply::redirect(page),
        (Some(page), Err((code, _))) => {
            Reply::redirect(with_query(&page, &[("error", Some(code))]))
        }
        (None, Ok(body)) => Reply::json(body),
        (None, Err((code, status))) => failure(code, status),
    }
}
