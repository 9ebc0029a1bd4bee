//! The passkey endpoints (docs/architecture.md › Passkeys), JSON in and out, every POST
//! CSRF-checked:
//! - `POST /webauthn-options/passkey` `{"action":"register"|"authenticate"}` (sign-up adds
//!   `email`, `name`): `{"action","options","ceremony"}`;
//! - `POST /callback/passkey` `{"action","ceremony","data":<the browser's credential>}`
//!   (register adds `name`): `{"url"}` and the session for a sign-in or sign-up,
//!   `{"ok","id"}` for a passkey added to the signed-in account;
//! - `GET /passkeys`, `POST /passkeys/rename` `{"id","name"}`, `POST /passkeys/delete`
//!   `{"id"}`, `POST /password/remove`.
//!
//! A refusal is `{"error":<stable code>,"message"}` with a 4xx status (503 when the store is
//! down).

use axum::{
    extract::{Path, State},
    http::HeaderMap,
};
use serde_json::{Value, json};

use super::{
    reply::Reply,
    request::{ActionPost, CheckedPost},
};
use crate::{
    Auth,
    passkeys::{PasskeyError, Registered},
};

/// The JSON answer to a refused passkey request.
fn refusal(error: &PasskeyError) -> Reply {
    if let PasskeyError::Unavailable(cause) = error {
        tracing::error!(error = %cause, "a passkey request failed on the store");
    }
    Reply::json(json!({ "error": error.code(), "message": error.to_string() }))
        .with_status(error.http_status())
        .with_retry_after(error.retry_after())
}

fn answer(outcome: Result<Value, PasskeyError>) -> Result<Reply, Reply> {
    outcome.map(Reply::json).map_err(|e| refusal(&e))
}

/// `action` of a ceremony request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Register,
    Authenticate,
}

fn action(req: &ActionPost) -> Result<Action, Reply> {
    match req.field("action") {
        Some("register") => Ok(Action::Register),
        Some("authenticate") => Ok(Action::Authenticate),
        _ => Err(refusal(&PasskeyError::InvalidRequest)),
    }
}

/// `POST /webauthn-options/:provider`.
pub(super) async fn options(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    if auth.passkey_provider().is_none_or(|p| p.id != provider) {
        return Err(refusal(&PasskeyError::NotAvailable));
    }
    let action = action(&req)?;
    let outcome = match action {
        Action::Register => {
            auth.passkey_registration_options(&req.ctx, req.field("email"), req.field("name"))
                .await
        }
        Action::Authenticate => auth.passkey_sign_in_options(&req.ctx).await,
    };
    let (options, ceremony) = outcome.map_err(|e| refusal(&e))?;
    let action = match action {
        Action::Register => "register",
        Action::Authenticate => "authenticate",
    };
    Ok(Reply::json(
        json!({ "action": action, "options": options, "ceremony": ceremony }),
    ))
}

/// `POST /callback/passkey` (routed through the callback endpoint, CSRF checked there).
pub(super) async fn callback(auth: &Auth, req: &ActionPost) -> Result<Reply, Reply> {
    let action = action(req)?;
    // Auth.js's client posts the credential as a JSON string; an object is taken too.
    let data = match req.body.0.get("data") {
        Some(Value::String(text)) => serde_json::from_str(text).ok(),
        Some(object @ Value::Object(_)) => Some(object.clone()),
        _ => None,
    };
    let Some(data) = data else {
        return Err(refusal(&PasskeyError::InvalidRequest));
    };
    let ceremony = req.field("ceremony").unwrap_or_default();
    let callback_url = req.callback_url();
    let callback_url = callback_url.as_deref();
    match action {
        Action::Authenticate => {
            let signed_in = auth
                .finish_passkey_sign_in(&req.ctx, ceremony, &data, callback_url)
                .await
                .map_err(|e| refusal(&e))?;
            Ok(Reply::json(json!({ "url": signed_in.url })).with_cookies(signed_in.cookies))
        }
        Action::Register => {
            let name = req.field("name");
            let registered = auth
                .finish_passkey_registration(&req.ctx, ceremony, &data, name, callback_url)
                .await
                .map_err(|e| refusal(&e))?;
            Ok(match registered {
                Registered::Added { id } => Reply::json(json!({ "ok": true, "id": id })),
                Registered::SignedUp(signed_in) => {
                    Reply::json(json!({ "url": signed_in.url })).with_cookies(signed_in.cookies)
                }
            })
        }
    }
}

/// `GET /passkeys`.
pub(super) async fn list(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    match auth.passkeys_in(&ctx).await {
        Ok(passkeys) => Reply::json_of(&passkeys),
        Err(e) => refusal(&e),
    }
}

/// `POST /passkeys/rename`.
pub(super) async fn rename(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let (Some(id), Some(name)) = (req.field("id"), req.field("name")) else {
        return Err(refusal(&PasskeyError::InvalidRequest));
    };
    let outcome = auth.rename_passkey_in(&req.ctx, id, name).await;
    answer(outcome.map(|()| json!({ "ok": true })))
}

/// `POST /passkeys/delete`.
pub(super) async fn delete(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let Some(id) = req.field("id") else {
        return Err(refusal(&PasskeyError::InvalidRequest));
    };
    let outcome = auth.delete_passkey_in(&req.ctx, id).await;
    answer(outcome.map(|()| json!({ "ok": true })))
}

/// `POST /password/remove`.
pub(super) async fn remove_password(
    State(auth): State<Auth>,
    req: CheckedPost,
) -> Result<Reply, Reply> {
    answer(
        auth.remove_password_in(&req.ctx)
            .await
            .map(|()| json!({ "ok": true })),
    )
}
