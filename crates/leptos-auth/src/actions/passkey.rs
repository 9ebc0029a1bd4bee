//! The passkey endpoints (docs/architecture.md › Passkeys), JSON in and out, every POST
//! CSRF-checked:
//! - `POST /webauthn-options/passkey` `{"action":"register"|"authenticate"}` (sign-up adds
//!   `email`, `name`): `{"action","options","ceremony"}`;
//! - `POST /callback/passkey` `{"action","ceremony","data":<the browser's credential>}`
//!   (register adds `name`): `{"url"}` and the session for a sign-in or sign-up,
//!   `{"ok","id"}` for a passkey added to the signed-in account;
//! - `GET /passkeys`, `POST /passkeys/rename` `{"id","name"}`, `POST /passkeys/delete`
//!   `{"id"}`, `POST /password/remove`;
//! - `GET /passkey-sign-in.js`, `GET /passkey-manager.js`: the browser side (assets/), each
//!   with `passkey-core.js` in front.
//!
//! A refusal is `{"error":<stable code>,"message"}` with a 4xx status (503 when the store is
//! down).

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    reply::Reply,
    request::{ActionPost, CheckedPost},
};
use crate::{
    Auth, AuthError,
    client::{MANAGER_HTML, SIGN_IN_HTML, SIGN_UP_HTML},
    i18n::{Language, Text},
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

/// A script of assets/ as served: `passkey-core.js` and the page's own file in one (one
/// request, and brotli shares what they have in common), with the import of the core, the
/// comment lines and the indentation left out (the files are written so that no line of code
/// starts with `//`, `/**` or `import`, and no string spans lines); and its ETag.
struct Script {
    text: String,
    etag: String,
}

impl Script {
    fn new(sources: &[&str]) -> Script {
        let text: String = sources
            .iter()
            .flat_map(|source| source.lines())
            .map(str::trim)
            .filter(|line| {
                !line.is_empty()
                    && !line.starts_with("//")
                    && !line.starts_with("/**")
                    && !line.starts_with("import ")
            })
            .map(|line| format!("{line}\n"))
            .collect();
        let etag = format!("\"{}\"", crate::keys::hex(&Sha256::digest(&text)[..8]));
        Script { text, etag }
    }

    /// The script, or `304` when the browser has this version (`no-cache`: every use asks,
    /// so a new version is seen at once).
    fn reply(&self, headers: &HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag).expect("hex in quotes");
        let cached = headers.get(header::IF_NONE_MATCH) == Some(&etag);
        let mut response = if cached {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            self.text.clone().into_response()
        };
        let set = response.headers_mut();
        set.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        );
        set.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        // In the language of the request: another language is another version.
        set.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        set.insert(header::ETAG, etag);
        response
    }
}

const CORE: &str = include_str!("../../assets/passkey-core.js");
const SIGN_IN: &str = include_str!("../../assets/passkey-sign-in.js");
const MANAGER: &str = include_str!("../../assets/passkey-manager.js");

/// What a script says, by the name it uses (`T.addPasskey` in its code, `data-t="addPasskey"`
/// in its components' markup), in the request's language: only the texts `sources` name.
fn script_texts(language: &Language, sources: &[&str]) -> String {
    let texts = [
        ("passkeySignIn", Text::PasskeySignIn),
        ("passkeySignUp", Text::PasskeySignUp),
        ("passkeys", Text::Passkeys),
        ("name", Text::Name),
        ("nameExample", Text::PasskeyNameExample),
        ("addPasskey", Text::AddPasskey),
        ("confirmFirst", Text::ConfirmFirst),
        ("yourPassword", Text::YourPassword),
        ("confirmWithPassword", Text::ConfirmWithPassword),
        ("confirmWithPasskey", Text::ConfirmWithPasskey),
        ("removePassword", Text::RemovePassword),
        ("tryAgain", Text::TryAgain),
        ("passkeyExists", Text::PasskeyExists),
        ("promptClosed", Text::PasskeyPromptClosed),
        ("passkeyFailed", Text::PasskeyFailed),
        ("wrongPassword", Text::Error(AuthError::CredentialsSignin)),
        ("followPrompt", Text::FollowPrompt),
        ("passkeyAdded", Text::PasskeyAdded),
        ("newName", Text::NewPasskeyName),
        ("passwordRemoved", Text::PasswordRemoved),
        ("addedOn", Text::AddedOn),
        ("lastUsedOn", Text::LastUsedOn),
        ("neverUsed", Text::NeverUsed),
        ("synced", Text::Synced),
        ("rename", Text::Rename),
        ("delete", Text::Delete),
    ];
    let named = |name: &str| {
        let uses = [format!("T.{name}"), format!("\"{name}\"")];
        sources
            .iter()
            .any(|source| uses.iter().any(|used| source.contains(used)))
    };
    let texts: serde_json::Map<String, serde_json::Value> = texts
        .into_iter()
        .filter(|(name, _)| named(name))
        .map(|(name, text)| (name.to_owned(), language.text(text).into()))
        .collect();
    format!("const T = {};", serde_json::Value::Object(texts))
}

/// `GET /passkey-sign-in.js`, in the request's language (the browser asks for the script
/// with the page's `Accept-Language` and cookies, so it is the page's language).
pub(super) async fn sign_in_script(State(auth): State<Auth>, headers: HeaderMap) -> Response {
    let language = auth.config().languages.for_request(&headers);
    let texts = script_texts(&language, &[CORE, SIGN_IN, SIGN_IN_HTML, SIGN_UP_HTML]);
    Script::new(&[&texts, CORE, SIGN_IN]).reply(&headers)
}

/// `GET /passkey-manager.js`, in the request's language.
pub(super) async fn manager_script(State(auth): State<Auth>, headers: HeaderMap) -> Response {
    let language = auth.config().languages.for_request(&headers);
    let texts = script_texts(&language, &[CORE, MANAGER, MANAGER_HTML]);
    Script::new(&[&texts, CORE, MANAGER]).reply(&headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_the_core_and_the_page_file_without_comments_or_imports() {
        let core = "// a comment\n/** doc */\nexport const a = 1; // kept\n";
        let page = "import { a } from \"./core.js\";\n\n  if (a) {\n    f();\n  }\n";
        let script = Script::new(&[core, page]);
        assert_eq!(
            script.text,
            "export const a = 1; // kept\nif (a) {\nf();\n}\n"
        );
        let english = Language::english();
        for sources in [
            [CORE, SIGN_IN, SIGN_IN_HTML, SIGN_UP_HTML].as_slice(),
            &[CORE, MANAGER, MANAGER_HTML],
        ] {
            let texts = script_texts(&english, sources);
            let served = Script::new(&[&texts, sources[0], sources[1]]);
            assert!(!served.text.contains("\n//") && !served.text.contains("import "));
            assert!(served.text.contains("export async function ceremony"));
            assert!(served.text.starts_with("const T = {"));
            // Every text the script and its markup name is in its table.
            let names = sources.iter().flat_map(|source| {
                let in_code = source.split("T.").skip(1);
                let in_markup = source.split("data-t=\"").skip(1);
                let placeholders = source.split("data-t-placeholder=\"").skip(1);
                in_code.chain(in_markup).chain(placeholders)
            });
            for used in names {
                let name: String = used
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                assert!(texts.contains(&format!("\"{name}\":")), "{name}");
            }
        }
    }
}
