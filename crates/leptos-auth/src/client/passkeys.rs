//! Passkey controls (README › Passkeys): markup that the server renders hidden, and the
//! script that shows and runs it where passkeys can work (a browser that has them, a site
//! named by host, the passkey provider on the server). The script is the auth router's
//! (`assets/`): the browser side of the ceremonies in WASM cost the bundle 18 KiB brotli, over
//! its budget; as a script it costs the pages that show passkey controls about 1–2 KiB.
//! Without JavaScript the controls stay hidden and every other way to sign in works.

use leptos::prelude::*;

use super::use_session;
use crate::html::escape;

// The words (`data-t`) are put in by the script, in the page's language: the controls are
// hidden until it runs.
pub(crate) const SIGN_IN_HTML: &str = r#"<button type="button" class="button wide" data-t="passkeySignIn" hidden></button><p class="form-error" role="alert" hidden></p>"#;

pub(crate) const SIGN_UP_HTML: &str = r#"<button type="button" class="button wide" data-t="passkeySignUp" hidden></button><p class="form-error" role="alert" hidden></p>"#;

pub(crate) const MANAGER_HTML: &str = r#"<h2 data-t="passkeys"></h2><ul></ul><form data-form="add"><label for="passkey-name" data-t="name"></label><input id="passkey-name" data-t-placeholder="nameExample" maxlength="64"><button type="submit" class="button" data-t="addPasskey"></button></form><div data-confirm hidden><p data-t="confirmFirst"></p><form data-form="confirm"><label for="confirm-password" data-t="yourPassword"></label><input id="confirm-password" type="password" autocomplete="current-password"><button type="submit" class="button" data-t="confirmWithPassword"></button></form><button type="button" class="button" data-action="confirm-passkey" data-t="confirmWithPasskey"></button></div><button type="button" class="button" data-action="remove-password" data-t="removePassword" hidden></button><p role="status"></p>"#;

/// Loads a passkey script of the auth router once the page is hydrated (once per page: a
/// module runs once, and then finds the controls that later pages render).
fn load_script(src: String) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let document = document();
        let selector = format!("script[src=\"{src}\"]");
        if document.query_selector(&selector).ok().flatten().is_some() {
            return;
        }
        if let (Ok(script), Some(head)) = (document.create_element("script"), document.head()) {
            let _ = script.set_attribute("type", "module");
            let _ = script.set_attribute("src", &src);
            let _ = head.append_child(&script);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = src;
}

/// "Sign in with a passkey": the browser asks which passkey (no email typed), then the page
/// goes on to `callback_url`. With `autofill`, the page's field with
/// `autocomplete="username webauthn"` offers the saved passkeys too (conditional UI), for as
/// long as the button is on the page.
#[component]
pub fn PasskeyButton(
    /// Where to land after signing in.
    #[prop(into)]
    callback_url: Signal<String>,
    /// Offer the passkeys in the autofill of the page's `webauthn` field too.
    #[prop(optional)]
    autofill: bool,
) -> impl IntoView {
    load_script(use_session().paths().passkey_sign_in_script());
    let autofill = if autofill { " data-autofill" } else { "" };
    // Markup as text: a fraction of the client code of a view.
    let html = move || {
        format!(
            r#"<div data-passkey="sign-in" data-callback-url="{}"{autofill}>{SIGN_IN_HTML}</div>"#,
            escape(&callback_url.get())
        )
    };
    view! { <div inner_html=html></div> }
}

/// "Sign up with a passkey instead": an account with the address in the page's field
/// `email_field` (and the name in `name_field`), a new passkey and no password; the address
/// is verified later, by the usual link.
#[component]
pub fn PasskeySignUp(
    /// The `id` of the page's email field.
    #[prop(into)]
    email_field: String,
    /// The `id` of the page's name field, if it has one.
    #[prop(optional, into)]
    name_field: String,
    /// Where to land after signing up.
    #[prop(into)]
    callback_url: Signal<String>,
) -> impl IntoView {
    load_script(use_session().paths().passkey_sign_in_script());
    let html = move || {
        format!(
            r#"<div data-passkey="sign-up" data-email-field="{}" data-name-field="{}" data-callback-url="{}">{SIGN_UP_HTML}</div>"#,
            escape(&email_field),
            escape(&name_field),
            escape(&callback_url.get())
        )
    };
    view! { <div inner_html=html></div> }
}

/// The signed-in user's passkeys: the list (name, added, last used, synced) with rename and
/// delete; "Add a passkey" with a name, which asks to confirm with the password or an
/// existing passkey first when the sign-in is older than the provider's `fresh_session`;
/// "Remove my password" once there is a passkey.
#[component]
pub fn PasskeyManager() -> impl IntoView {
    let session = use_session();
    load_script(session.paths().passkey_manager_script());
    let html = move || {
        let email = session
            .data()
            .and_then(|s| s.user.email)
            .unwrap_or_default();
        format!(
            r#"<section class="passkeys" data-testid="passkeys" data-passkey="manager" data-email="{}" hidden>{MANAGER_HTML}</section>"#,
            escape(&email)
        )
    };
    view! { <div inner_html=html></div> }
}
