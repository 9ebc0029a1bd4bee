//! Passkeys in the app (README › Passkeys): sign in, sign up and manage them from the
//! hydrated client. Without JavaScript the controls stay hidden (the server renders them
//! with `hidden`) and every other way to sign in works as before.

use leptos::prelude::*;
use serde_json::json;

use super::{SessionContext, use_session};
#[cfg(feature = "hydrate")]
use super::{browser, webauthn};
use crate::session::PasskeyInfo;

/// Why a passkey action did not complete: the server's stable code (`ChallengeExpired`,
/// `WebAuthnVerificationError`, `SessionNotFresh`, …) or the browser's (`Cancelled`,
/// `Unsupported`), and a message fit to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyFailure {
    /// The code.
    pub code: String,
    /// What to tell the user.
    pub message: String,
}

impl PasskeyFailure {
    /// The user closed the browser's prompt, or it timed out: usually nothing to show.
    pub const CANCELLED: &'static str = "Cancelled";
    /// The browser cannot use passkeys.
    pub const UNSUPPORTED: &'static str = "Unsupported";

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub(crate) fn new(code: &str, message: &str) -> Self {
        PasskeyFailure {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

#[cfg(not(feature = "hydrate"))]
fn not_in_the_browser<T>() -> Result<T, PasskeyFailure> {
    Err(PasskeyFailure::new(
        PasskeyFailure::UNSUPPORTED,
        "Passkeys need the browser.",
    ))
}

impl SessionContext {
    /// Whether passkeys can be used on this page: the server has the passkey provider, the
    /// site is not on an IP address (browsers refuse WebAuthn there) and the browser has
    /// passkeys. Always `false` during server rendering, so passkey controls are rendered
    /// hidden and show once the page is hydrated.
    pub fn passkeys_available(&self) -> bool {
        #[cfg(feature = "hydrate")]
        {
            let configured = self
                .providers()
                .iter()
                .any(|p| p.kind == crate::provider_kind::ProviderKind::WebAuthn);
            configured && !on_ip_address(&self.site_origin()) && webauthn::supported()
        }
        #[cfg(not(feature = "hydrate"))]
        false
    }

    /// Signs in with a passkey: the browser asks which one (no email needed). The URL to go
    /// to next (`callback_url`, if the server allows it); the session signal is up to date
    /// and other tabs are told.
    pub async fn sign_in_with_passkey(
        self,
        callback_url: Option<String>,
    ) -> Result<String, PasskeyFailure> {
        self.passkey_sign_in(callback_url, None).await
    }

    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    async fn passkey_sign_in(
        self,
        callback_url: Option<String>,
        #[cfg(feature = "hydrate")] autofill: Option<&web_sys::AbortSignal>,
        #[cfg(not(feature = "hydrate"))] autofill: Option<()>,
    ) -> Result<String, PasskeyFailure> {
        #[cfg(feature = "hydrate")]
        {
            let fields = json!({ "callbackUrl": callback_url });
            let answer =
                webauthn::ceremony(&self.paths(), "authenticate", fields, autofill).await?;
            self.signed_in_now().await;
            Ok(answer["url"].as_str().unwrap_or("/").to_owned())
        }
        #[cfg(not(feature = "hydrate"))]
        not_in_the_browser()
    }

    /// Creates an account with `email` (and `name`) and a new passkey, no password, and
    /// signs it in; the URL to go to next.
    pub async fn sign_up_with_passkey(
        self,
        email: String,
        name: Option<String>,
        callback_url: Option<String>,
    ) -> Result<String, PasskeyFailure> {
        let fields = json!({ "email": email, "name": name, "callbackUrl": callback_url });
        #[cfg(feature = "hydrate")]
        {
            let answer = webauthn::ceremony(&self.paths(), "register", fields, None).await?;
            self.signed_in_now().await;
            Ok(answer["url"].as_str().unwrap_or("/").to_owned())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = fields;
            not_in_the_browser()
        }
    }

    /// Adds a new passkey, called `name`, to the signed-in account. Fails with
    /// `SessionNotFresh` when the sign-in is older than the provider allows: sign in again
    /// (password or passkey), then add it.
    pub async fn add_passkey(self, name: String) -> Result<(), PasskeyFailure> {
        let fields = json!({ "name": name });
        #[cfg(feature = "hydrate")]
        return webauthn::ceremony(&self.paths(), "register", fields, None)
            .await
            .map(|_| ());
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = fields;
            not_in_the_browser()
        }
    }

    #[cfg(feature = "hydrate")]
    async fn signed_in_now(self) {
        self.announce_change();
        if let Some(session) = browser::fetch_session(&self.paths()).await {
            self.set(session);
        }
    }
}

/// "Sign in with a passkey": the browser's prompt, then on to `callback_url`. With
/// `autofill`, the page's field with `autocomplete="username webauthn"` also offers the
/// saved passkeys (conditional UI) for as long as the button is shown. Hidden until the
/// page is hydrated in a browser that has passkeys.
#[component]
pub fn PasskeyButton(
    /// Where to land after signing in.
    #[prop(into)]
    callback_url: Signal<String>,
    /// Offer the passkeys in the autofill of the page's `webauthn` field too.
    #[prop(optional)]
    autofill: bool,
) -> impl IntoView {
    let session = use_session();
    let ready = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    let autofill_request = StoredValue::new_local(None::<web_sys::AbortController>);
    #[cfg(feature = "hydrate")]
    {
        // The autofill request lives as long as the button; a click replaces it.
        let stop_autofill = move || {
            if let Some(controller) = autofill_request.try_update_value(Option::take).flatten() {
                controller.abort();
            }
        };
        on_cleanup(stop_autofill);
        let finish = move |outcome: Result<String, PasskeyFailure>| match outcome {
            Ok(url) => browser::navigate(&url),
            Err(failure) if failure.code == PasskeyFailure::CANCELLED => {}
            Err(failure) => error.set(Some(failure.message)),
        };
        Effect::new(move |_| {
            ready.set(session.passkeys_available());
            if autofill && ready.get_untracked() {
                leptos::task::spawn_local(async move {
                    if !webauthn::autofill_available().await {
                        return;
                    }
                    let Ok(controller) = web_sys::AbortController::new() else {
                        return;
                    };
                    let signal = controller.signal();
                    autofill_request.set_value(Some(controller));
                    let url = callback_url.get_untracked();
                    let outcome = session.passkey_sign_in(Some(url), Some(&signal)).await;
                    if !signal.aborted() {
                        finish(outcome);
                    }
                });
            }
        });
        let on_click = move |_| {
            stop_autofill();
            error.set(None);
            let url = callback_url.get_untracked();
            leptos::task::spawn_local(async move {
                finish(session.passkey_sign_in(Some(url), None).await);
            });
        };
        view! {
            <button type="button" class="button wide" hidden=move || !ready.get() on:click=on_click>
                "Sign in with a passkey"
            </button>
            {move || error.get().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (session, autofill, callback_url, error);
        view! {
            <button type="button" class="button wide" hidden=move || !ready.get()>
                "Sign in with a passkey"
            </button>
        }
    }
}

/// The signed-in user's passkeys: the list (name, added, last used, synced) with rename and
/// delete, "Add a passkey" with a name, and — when the sign-in is too old to add one — a
/// prompt to confirm with the password or a passkey first. Hidden until hydrated.
#[component]
pub fn PasskeyManager() -> impl IntoView {
    let session = use_session();
    let ready = RwSignal::new(false);
    let passkeys = RwSignal::new(Vec::<PasskeyInfo>::new());
    let status = RwSignal::new(String::new());
    let confirm = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let reload = move || {
            leptos::task::spawn_local(async move {
                if let Some(list) = webauthn::list(&session.paths()).await {
                    passkeys.set(list);
                }
            });
        };
        Effect::new(move |_| {
            ready.set(session.passkeys_available());
            if ready.get_untracked() {
                reload();
            }
        });
        let add = move || {
            leptos::task::spawn_local(async move {
                status.set("Follow your browser's prompt…".into());
                match session.add_passkey(name.get_untracked()).await {
                    Ok(()) => {
                        name.set(String::new());
                        confirm.set(false);
                        status.set("Passkey added.".into());
                        reload();
                    }
                    Err(failure) if failure.code == "SessionNotFresh" => {
                        confirm.set(true);
                        status.set(failure.message);
                    }
                    Err(failure) => status.set(failure.message),
                }
            });
        };
        let on_add = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            add();
        };
        // Signing in again makes the session fresh; then the passkey is added.
        let confirm_with_password = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let email = session
                .data()
                .and_then(|s| s.user.email)
                .unwrap_or_default();
            let options = super::SignInOptions {
                redirect: false,
                callback_url: None,
                fields: vec![
                    ("email".into(), email),
                    ("password".into(), password.get_untracked()),
                ],
            };
            leptos::task::spawn_local(async move {
                let response = session.sign_in(Some("credentials"), options).await;
                password.set(String::new());
                match response.error {
                    None => add(),
                    Some(error) => status.set(error.user_message().into()),
                }
            });
        };
        let confirm_with_passkey = move |_| {
            leptos::task::spawn_local(async move {
                match session.sign_in_with_passkey(None).await {
                    Ok(_) => add(),
                    Err(failure) => status.set(failure.message),
                }
            });
        };
        // One listener for every row's buttons (`data-action`, `data-id`).
        let on_list_click = move |ev: leptos::ev::MouseEvent| {
            use wasm_bindgen::JsCast;
            let Some(button) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("[data-action]").ok().flatten())
            else {
                return;
            };
            let id = button.get_attribute("data-id").unwrap_or_default();
            let paths = session.paths();
            let (url, body) = match button.get_attribute("data-action").as_deref() {
                Some("delete") => (paths.delete_passkey(), json!({ "id": id })),
                Some("rename") => {
                    let Some(new_name) = window()
                        .prompt_with_message("New name for this passkey")
                        .ok()
                        .flatten()
                    else {
                        return;
                    };
                    (
                        paths.rename_passkey(),
                        json!({ "id": id, "name": new_name }),
                    )
                }
                _ => return,
            };
            leptos::task::spawn_local(async move {
                match webauthn::manage(&paths, &url, body).await {
                    Ok(()) => reload(),
                    Err(failure) => status.set(failure.message),
                }
            });
        };
        let on_remove_password = move |_| {
            leptos::task::spawn_local(async move {
                let paths = session.paths();
                let outcome = webauthn::manage(&paths, &paths.remove_password(), json!({})).await;
                status.set(match outcome {
                    Ok(()) => "Your password was removed: sign in with a passkey.".into(),
                    Err(failure) => failure.message,
                });
            });
        };
        view! {
            <section class="passkeys" data-testid="passkeys" hidden=move || !ready.get()>
                <h2>"Passkeys"</h2>
                <ul on:click=on_list_click inner_html=move || list_html(&passkeys.get())></ul>
                <form on:submit=on_add>
                    <label for="passkey-name">"Name"</label>
                    <input id="passkey-name" placeholder="MacBook, Pixel…" maxlength="64" bind:value=name/>
                    <button type="submit" class="button">"Add a passkey"</button>
                </form>
                <div hidden=move || !confirm.get() data-testid="passkey-confirm">
                    <form on:submit=confirm_with_password>
                        <label for="confirm-password">"Your password"</label>
                        <input id="confirm-password" type="password" autocomplete="current-password" bind:value=password/>
                        <button type="submit" class="button">"Confirm with password"</button>
                    </form>
                    <button type="button" class="button" on:click=confirm_with_passkey>"Confirm with a passkey"</button>
                </div>
                <button type="button" class="button" hidden=move || passkeys.with(Vec::is_empty) on:click=on_remove_password>
                    "Remove my password"
                </button>
                <p role="status">{move || status.get()}</p>
            </section>
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (session, passkeys, status, confirm, name, password);
        view! { <section class="passkeys" data-testid="passkeys" hidden=move || !ready.get()></section> }
    }
}

/// Whether `origin` (`http://127.0.0.1:3000`, `http://[::1]:3000`) names its host by address.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn on_ip_address(origin: &str) -> bool {
    let host = origin.split("://").nth(1).unwrap_or(origin);
    host.starts_with('[')
        || host
            .split([':', '/'])
            .next()
            .is_some_and(|h| h.parse::<std::net::Ipv4Addr>().is_ok())
}

/// The rows of the passkey list, as markup (a fraction of the client code of a view).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn list_html(passkeys: &[PasskeyInfo]) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    passkeys
        .iter()
        .map(|p| {
            let date = |iso: &str| iso.get(..10).unwrap_or(iso).to_owned();
            format!(
                r#"<li data-testid="passkey"><strong>{name}</strong><span class="muted"> · added {added} · {used}{synced}</span> <button type="button" class="button" data-action="rename" data-id="{id}">Rename</button> <button type="button" class="button" data-action="delete" data-id="{id}">Delete</button></li>"#,
                name = escape(&p.name),
                added = date(&p.created_at),
                used = p
                    .last_used_at
                    .as_deref()
                    .map_or("never used".to_owned(), |t| format!("last used {}", date(t))),
                synced = if p.synced { " · synced" } else { "" },
                id = escape(&p.id),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_on_an_ip_address_is_told_from_one_on_a_name() {
        assert!(on_ip_address("http://127.0.0.1:3000"));
        assert!(on_ip_address("http://[::1]:3000"));
        assert!(on_ip_address("https://10.0.0.2"));
        assert!(!on_ip_address("http://localhost:3000"));
        assert!(!on_ip_address("https://app.example.com"));
        assert!(!on_ip_address("https://1.example.com"));
    }

    #[test]
    fn the_passkey_list_escapes_what_users_typed() {
        let html = list_html(&[PasskeyInfo {
            id: "a\"b".into(),
            name: "<script>".into(),
            created_at: "2026-12-06T10:00:00Z".into(),
            last_used_at: None,
            synced: true,
        }]);
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script>"),
            "{html}"
        );
        assert!(html.contains(r#"data-id="a&quot;b""#), "{html}");
        assert!(
            html.contains("added 2026-12-06 · never used · synced"),
            "{html}"
        );
    }
}
