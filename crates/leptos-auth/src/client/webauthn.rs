//! The browser's WebAuthn calls (feature `hydrate`): a passkey ceremony is the server's
//! options, the browser's prompt (`navigator.credentials.create`/`get`), and the answer
//! posted back (README › Passkeys). The options and the answer cross the JavaScript boundary
//! as JSON through the browser's own `PublicKeyCredential.parse…OptionsFromJSON` and
//! `toJSON`: no binding code per field, which keeps the client small.

use gloo_net::http::Request;
use js_sys::{Function, JSON, Object, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::passkeys::PasskeyFailure;
use crate::paths::AuthPaths;

/// The provider id of passkeys (as in Auth.js).
const PROVIDER: &str = "passkey";

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

fn method(target: &JsValue, name: &str) -> Option<Function> {
    get(target, name)?.dyn_into().ok()
}

/// `PublicKeyCredential`, where the browser has it.
fn credential_class() -> Option<JsValue> {
    get(&js_sys::global(), "PublicKeyCredential")
}

/// Whether this browser can create and use passkeys.
pub(super) fn supported() -> bool {
    credential_class().is_some_and(|class| method(&class, "parseRequestOptionsFromJSON").is_some())
}

/// Whether the browser offers passkeys in the autofill of a `webauthn` field.
pub(super) async fn autofill_available() -> bool {
    let Some(class) = credential_class() else {
        return false;
    };
    let Some(check) = method(&class, "isConditionalMediationAvailable") else {
        return false;
    };
    match check.call0(&class).map(Promise::from) {
        Ok(promise) => JsFuture::from(promise)
            .await
            .is_ok_and(|available| available.is_truthy()),
        Err(_) => false,
    }
}

/// A failure the browser reported, by the name of its `DOMException`.
fn browser_failure(error: JsValue) -> PasskeyFailure {
    let name = get(&error, "name")
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    match name.as_str() {
        "NotAllowedError" => PasskeyFailure::new(
            PasskeyFailure::CANCELLED,
            "The passkey prompt was closed or timed out.",
        ),
        "AbortError" => PasskeyFailure::new(PasskeyFailure::CANCELLED, "Cancelled."),
        "InvalidStateError" => PasskeyFailure::new(
            "PasskeyExists",
            "This device already has a passkey for this account.",
        ),
        _ => PasskeyFailure::new("PasskeyError", "The passkey could not be used."),
    }
}

fn unsupported() -> PasskeyFailure {
    PasskeyFailure::new(
        PasskeyFailure::UNSUPPORTED,
        "This browser cannot use passkeys.",
    )
}

/// Asks the browser for a credential: `create` for registration options, `get` for
/// sign-in options (through the autofill while `signal` is live, when given).
async fn browser_credential(
    create: bool,
    public_key: &Value,
    autofill: Option<&web_sys::AbortSignal>,
) -> Result<String, PasskeyFailure> {
    let class = credential_class().ok_or_else(unsupported)?;
    let parse_name = if create {
        "parseCreationOptionsFromJSON"
    } else {
        "parseRequestOptionsFromJSON"
    };
    let parse = method(&class, parse_name).ok_or_else(unsupported)?;
    let json = JSON::parse(&public_key.to_string()).map_err(browser_failure)?;
    let options = parse.call1(&class, &json).map_err(browser_failure)?;
    let request = Object::new();
    let set = |name: &str, value: &JsValue| Reflect::set(&request, &JsValue::from_str(name), value);
    let _ = set("publicKey", &options);
    if let Some(signal) = autofill {
        let _ = set("mediation", &JsValue::from_str("conditional"));
        let _ = set("signal", signal);
    }
    let container = get(&js_sys::global(), "navigator")
        .and_then(|navigator| get(&navigator, "credentials"))
        .ok_or_else(unsupported)?;
    let call = method(&container, if create { "create" } else { "get" }).ok_or_else(unsupported)?;
    let promise: Promise = call
        .call1(&container, &request)
        .map_err(browser_failure)?
        .unchecked_into();
    let credential = JsFuture::from(promise).await.map_err(browser_failure)?;
    let to_json = method(&credential, "toJSON").ok_or_else(unsupported)?;
    let json = to_json.call0(&credential).map_err(browser_failure)?;
    JSON::stringify(&json)
        .map(String::from)
        .map_err(browser_failure)
}

/// POSTs `body` (with a CSRF token) as JSON; the answer's JSON, or its `{"error","message"}`.
async fn post(paths: &AuthPaths, url: &str, mut body: Value) -> Result<Value, PasskeyFailure> {
    let offline = || PasskeyFailure::new("Unavailable", "The server could not be reached.");
    let csrf = Request::get(&paths.csrf())
        .send()
        .await
        .map_err(|_| offline())?;
    let csrf: Value = csrf.json().await.map_err(|_| offline())?;
    body["csrfToken"] = csrf["csrfToken"].clone();
    let response = Request::post(url)
        .json(&body)
        .map_err(|_| offline())?
        .send()
        .await
        .map_err(|_| offline())?;
    let ok = response.ok();
    let answer: Value = response.json().await.map_err(|_| offline())?;
    if ok {
        return Ok(answer);
    }
    let text = |name: &str| answer[name].as_str().unwrap_or_default().to_owned();
    Err(PasskeyFailure::new(&text("error"), &text("message")))
}

/// One whole ceremony: options for `action` (`register` or `authenticate`, with `fields`),
/// the browser's prompt, the answer (with `fields` again). The answer's JSON.
pub(super) async fn ceremony(
    paths: &AuthPaths,
    action: &str,
    fields: Value,
    autofill: Option<&web_sys::AbortSignal>,
) -> Result<Value, PasskeyFailure> {
    let mut body = json!({ "action": action });
    let merge = |body: &mut Value| {
        if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(fields.clone());
        }
    };
    merge(&mut body);
    let options = post(paths, &paths.webauthn_options(PROVIDER), body).await?;
    let create = action == "register";
    let credential = browser_credential(create, &options["options"]["publicKey"], autofill).await?;
    let mut body = json!({
        "action": action,
        "data": credential,
        "ceremony": options["ceremony"],
    });
    merge(&mut body);
    post(paths, &paths.callback(PROVIDER), body).await
}

/// `GET /passkeys`: `[{"id","name","createdAt","lastUsedAt","synced"}]`.
pub(super) async fn list(paths: &AuthPaths) -> Option<Value> {
    let response = Request::get(&paths.passkeys()).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}

/// A POST of a passkey-management endpoint.
pub(super) async fn manage(
    paths: &AuthPaths,
    url: &str,
    body: Value,
) -> Result<(), PasskeyFailure> {
    post(paths, url, body).await.map(|_| ())
}
