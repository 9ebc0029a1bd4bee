//! Passkeys in the app (README › Passkeys): sign in, sign up and manage them from the
//! hydrated client. Without JavaScript the controls stay hidden (the server renders them
//! with `hidden`) and every other way to sign in works as before.

use leptos::prelude::*;
use serde_json::json;

use super::{SessionContext, use_session};
#[cfg(feature = "hydrate")]
use super::{browser, webauthn};

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
        // The session signal is up to date by now: the next page renders signed in,
        // without a reload.
        let navigate = leptos_router::hooks::use_navigate();
        let finish = move |outcome: Result<String, PasskeyFailure>| match outcome {
            Ok(url) => {
                let origin = session.site_origin();
                let path = crate::redirect::local_callback_url(Some(&url), Some(&origin), "/");
                navigate(&path, Default::default());
            }
            Err(failure) if failure.code == PasskeyFailure::CANCELLED => {}
            Err(failure) => error.set(Some(failure.message)),
        };
        let finish_on_click = finish.clone();
        Effect::new(move |_| {
            ready.set(session.passkeys_available());
            if autofill && ready.get_untracked() {
                let finish = finish.clone();
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
            let finish = finish_on_click.clone();
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

/// The markup of [`PasskeyManager`]: static, so it costs the client no view code; the
/// manager fills the list and the status and shows the confirmation itself.
const MANAGER_HTML: &str = r#"<h2>Passkeys</h2><ul data-list></ul><form data-form="add"><label for="passkey-name">Name</label><input id="passkey-name" placeholder="MacBook, Pixel…" maxlength="64"><button type="submit" class="button">Add a passkey</button></form><div data-confirm hidden><p>Confirm it is you first:</p><form data-form="confirm"><label for="confirm-password">Your password</label><input id="confirm-password" type="password" autocomplete="current-password"><button type="submit" class="button">Confirm with password</button></form><button type="button" class="button" data-action="confirm-passkey">Confirm with a passkey</button></div><button type="button" class="button" data-action="remove-password" data-remove hidden>Remove my password</button><p role="status" data-status></p>"#;

/// The signed-in user's passkeys: the list (name, added, last used, synced) with rename and
/// delete, "Add a passkey" with a name, and — when the sign-in is too old to add one — a
/// prompt to confirm with the password or a passkey first; "Remove my password" once there
/// is a passkey. Hidden until hydrated.
#[component]
pub fn PasskeyManager() -> impl IntoView {
    let ready = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();
    #[cfg(feature = "hydrate")]
    {
        let manager = manager::Manager {
            session: use_session(),
            section,
        };
        Effect::new(move |_| {
            ready.set(manager.session.passkeys_available());
            if ready.get_untracked() {
                manager.reload();
            }
        });
        view! {
            <section
                class="passkeys"
                data-testid="passkeys"
                hidden=move || !ready.get()
                node_ref=section
                on:click=move |ev| manager.on_click(ev)
                on:submit=move |ev| manager.on_submit(ev)
                inner_html=MANAGER_HTML
            ></section>
        }
    }
    #[cfg(not(feature = "hydrate"))]
    view! {
        <section
            class="passkeys"
            data-testid="passkeys"
            hidden=move || !ready.get()
            node_ref=section
            inner_html=MANAGER_HTML
        ></section>
    }
}

/// What [`PasskeyManager`] does in the browser: plain DOM work on its own markup.
#[cfg(feature = "hydrate")]
mod manager {
    use leptos::prelude::*;
    use serde_json::{Value, json};
    use wasm_bindgen::{JsCast, JsValue};

    use super::{PasskeyFailure, list_html};
    use crate::client::{SessionContext, SignInOptions, webauthn};

    #[derive(Clone, Copy)]
    pub(super) struct Manager {
        pub session: SessionContext,
        pub section: NodeRef<leptos::html::Section>,
    }

    impl Manager {
        fn find(self, selector: &str) -> Option<web_sys::Element> {
            let section: web_sys::Element = self.section.get_untracked()?.into();
            section.query_selector(selector).ok().flatten()
        }

        fn status(self, text: &str) {
            if let Some(status) = self.find("[data-status]") {
                status.set_text_content(Some(text));
            }
        }

        fn show(self, selector: &str, shown: bool) {
            if let Some(element) = self.find(selector) {
                let _ = element.toggle_attribute_with_force("hidden", !shown);
            }
        }

        fn input(self, selector: &str) -> String {
            let value = self
                .find(selector)
                .and_then(|input| js_sys::Reflect::get(&input, &JsValue::from_str("value")).ok());
            value.and_then(|v| v.as_string()).unwrap_or_default()
        }

        fn clear(self, selector: &str) {
            if let Some(input) = self.find(selector) {
                let _ = js_sys::Reflect::set(&input, &"value".into(), &"".into());
            }
        }

        pub fn reload(self) {
            leptos::task::spawn_local(async move {
                let Some(list) = webauthn::list(&self.session.paths()).await else {
                    return;
                };
                if let Some(element) = self.find("[data-list]") {
                    element.set_inner_html(&list_html(&list));
                }
                let any = list.as_array().is_some_and(|l| !l.is_empty());
                self.show("[data-remove]", any);
            });
        }

        fn fail(self, failure: PasskeyFailure) {
            if failure.code == "SessionNotFresh" {
                self.show("[data-confirm]", true);
            }
            self.status(&failure.message);
        }

        async fn add(self) {
            self.status("Follow your browser's prompt…");
            match self.session.add_passkey(self.input("#passkey-name")).await {
                Ok(()) => {
                    self.clear("#passkey-name");
                    self.show("[data-confirm]", false);
                    self.status("Passkey added.");
                    self.reload();
                }
                Err(failure) => self.fail(failure),
            }
        }

        pub fn on_submit(self, ev: leptos::ev::SubmitEvent) {
            ev.prevent_default();
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|form| form.get_attribute("data-form"));
            leptos::task::spawn_local(async move {
                match form.as_deref() {
                    Some("add") => self.add().await,
                    // Signing in again makes the session fresh; then the passkey is added.
                    Some("confirm") => {
                        let email = self.session.data().and_then(|s| s.user.email);
                        let options = SignInOptions {
                            redirect: false,
                            callback_url: None,
                            fields: vec![
                                ("email".into(), email.unwrap_or_default()),
                                ("password".into(), self.input("#confirm-password")),
                            ],
                        };
                        let response = self.session.sign_in(Some("credentials"), options).await;
                        self.clear("#confirm-password");
                        match response.error {
                            None => self.add().await,
                            Some(error) => self.status(error.user_message()),
                        }
                    }
                    _ => {}
                }
            });
        }

        pub fn on_click(self, ev: leptos::ev::MouseEvent) {
            let Some(button) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("[data-action]").ok().flatten())
            else {
                return;
            };
            let id = button.get_attribute("data-id").unwrap_or_default();
            let action = button.get_attribute("data-action").unwrap_or_default();
            let paths = self.session.paths();
            let (url, body) = match action.as_str() {
                "delete" => (paths.delete_passkey(), json!({ "id": id })),
                "rename" => {
                    let Some(name) = window()
                        .prompt_with_message("New name for this passkey")
                        .ok()
                        .flatten()
                    else {
                        return;
                    };
                    (paths.rename_passkey(), json!({ "id": id, "name": name }))
                }
                "remove-password" => (paths.remove_password(), Value::Null),
                "confirm-passkey" => {
                    leptos::task::spawn_local(async move {
                        match self.session.sign_in_with_passkey(None).await {
                            Ok(_) => self.add().await,
                            Err(failure) => self.fail(failure),
                        }
                    });
                    return;
                }
                _ => return,
            };
            leptos::task::spawn_local(async move {
                let body = if body.is_null() { json!({}) } else { body };
                match webauthn::manage(&paths, &url, body).await {
                    Ok(()) if action == "remove-password" => {
                        self.status("Your password was removed: sign in with a passkey.")
                    }
                    Ok(()) => self.reload(),
                    Err(failure) => self.fail(failure),
                }
            });
        }
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

/// The rows of the passkey list (`GET /passkeys`), as markup: a fraction of the client code
/// of a view, and no deserialisation code.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn list_html(passkeys: &serde_json::Value) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let text = |p: &serde_json::Value, field: &str| p[field].as_str().unwrap_or_default().to_owned();
    let date = |iso: String| iso.get(..10).map(str::to_owned).unwrap_or(iso);
    let empty = Vec::new();
    passkeys
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|p| {
            let used = match p["lastUsedAt"].as_str() {
                Some(time) => format!("last used {}", date(time.to_owned())),
                None => "never used".to_owned(),
            };
            format!(
                r#"<li data-testid="passkey"><strong>{name}</strong><span class="muted"> · added {added} · {used}{synced}</span> <button type="button" class="button" data-action="rename" data-id="{id}">Rename</button> <button type="button" class="button" data-action="delete" data-id="{id}">Delete</button></li>"#,
                name = escape(&text(p, "name")),
                added = date(text(p, "createdAt")),
                synced = if p["synced"] == true { " · synced" } else { "" },
                id = escape(&text(p, "id")),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::PasskeyInfo;

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
        let listed = PasskeyInfo {
            id: "a\"b".into(),
            name: "<script>".into(),
            created_at: "2026-12-06T10:00:00Z".into(),
            last_used_at: None,
            synced: true,
        };
        let html = list_html(&serde_json::json!([listed]));
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
