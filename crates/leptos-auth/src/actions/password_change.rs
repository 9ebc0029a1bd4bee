//! `POST /password/change`: a signed-in user changes their password (the current one first).
//! JSON, or for a plain HTML form (it posts a `callbackUrl`) a 302 back to that page.

use axum::{extract::State, http::StatusCode};
use serde_json::json;

use super::{
    reply::{Reply, answer},
    request::CheckedPost,
};
use crate::{Auth, passwords::PasswordChangeError};

pub(super) async fn change_password(
    State(auth): State<Auth>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    let current = req.field("currentPassword").unwrap_or_default();
    let new = req.field("newPassword").unwrap_or_default();
    match auth.change_password_in(&req.ctx, current, new).await {
        Ok(()) => Ok(answer(&req, Ok(json!({ "ok": true })))),
        Err(error) => {
            let status = match &error {
                PasswordChangeError::SessionRequired => StatusCode::UNAUTHORIZED,
                PasswordChangeError::SessionNotFresh => StatusCode::FORBIDDEN,
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
