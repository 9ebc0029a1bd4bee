//! UI that every app with sign-in would otherwise write again: the guard of signed-in pages,
//! the guard of sign-in pages, and provider buttons. They need a [`SessionProvider`]
//! above them and a `<Router>` around them.
//!
//! [`SessionProvider`]: crate::SessionProvider

use leptos::{either::EitherOf3, prelude::*};
use leptos_router::{
    components::Redirect,
    hooks::{use_location, use_query_map},
};

use crate::{
    client::SessionStatus, component_texts::ComponentText, html::escape,
    provider_kind::ProviderKind, redirect::local_callback_url, use_session,
};

/// Shows `children` only to a signed-in user. Without a session the server answers a 302 to
/// the sign-in page with `callbackUrl` (works without JavaScript), and after hydration the
/// client redirects the same way when the session ends while the page is open (e.g. after
/// signing out in another tab). Use it as the layout of a route group.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_auth::RequireSession;
/// use leptos_router::components::Outlet;
///
/// #[component]
/// fn DashboardLayout() -> impl IntoView {
///     view! { <RequireSession><nav>"…"</nav><Outlet/></RequireSession> }
/// }
/// ```
#[component]
pub fn RequireSession<C: IntoView + 'static>(
    /// Where to send signed-out users; by default the `sign_in_page` of the
    /// [`SessionProvider`](crate::SessionProvider), else the built-in sign-in page.
    #[prop(optional, into)]
    sign_in_page: Option<String>,
    // Typed rather than `ChildrenFn`: no type-erased view, so less code in the WASM bundle.
    children: TypedChildrenFn<C>,
) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let sign_in_page = StoredValue::new(
        sign_in_page
            .or_else(|| session.sign_in_page())
            .unwrap_or_else(|| session.paths().sign_in()),
    );
    let children = children.into_inner();
    let content = move || match session.status() {
        SessionStatus::Unauthenticated => {
            // Untracked: once the redirect changes the location, this must not run again.
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            // The router's `search` comes without its `?` (and may one day come with it).
            let here = match search.trim_start_matches('?') {
                "" => path,
                search => format!("{path}?{search}"),
            };
            let query = serde_urlencoded::to_string([("callbackUrl", here)]).unwrap_or_default();
            let target = format!("{}?{query}", sign_in_page.get_value());
            EitherOf3::A(view! { <GuardRedirect path=target/> })
        }
        SessionStatus::Loading => EitherOf3::B(()),
        SessionStatus::Authenticated => EitherOf3::C(children()),
    };
    view! { <Transition fallback=|| ()>{content}</Transition> }
}

/// Shows `children` only to a signed-out user (sign-in and sign-up pages). A signed-in user
/// is sent on to the page's `callbackUrl` when the redirect rule allows it, else to
/// `default_target`.
#[component]
pub fn RedirectIfSignedIn<C: IntoView + 'static>(
    /// Where signed-in users go when there is no usable `callbackUrl`.
    #[prop(into)]
    default_target: String,
    children: TypedChildrenFn<C>,
) -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let default_target = StoredValue::new(default_target);
    let children = children.into_inner();
    let content = move || {
        if session.status() == SessionStatus::Authenticated {
            let requested = query.read_untracked().get("callbackUrl");
            let target = local_callback_url(
                requested.as_deref(),
                Some(&session.site_origin()),
                &default_target.get_value(),
            );
            return EitherOf3::A(view! { <GuardRedirect path=target/> });
        }
        if session.status() == SessionStatus::Loading {
            return EitherOf3::B(());
        }
        EitherOf3::C(children())
    };
    view! { <Transition fallback=|| ()>{content}</Transition> }
}

/// Sends the browser to `path`: an HTTP 302 during server rendering (for every client, not
/// only those that accept HTML), a client-side navigation after hydration.
#[component]
fn GuardRedirect(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FOUND);
        if let Ok(location) = http::HeaderValue::from_str(&path) {
            response.insert_header(http::header::LOCATION, location);
        }
    }
    view! { <Redirect path/> }
}

/// "Sign in with <provider>": a plain form posting to the provider's sign-in endpoint, so it
/// works with and without JavaScript (the browser leaves for the provider either way).
/// Signed in, the same button links the provider to the current user.
#[component]
pub fn ProviderButton(
    /// The provider id, e.g. `github`.
    #[prop(into)]
    provider_id: String,
    /// The button text.
    #[prop(into)]
    label: String,
    /// Where to land after signing in.
    #[prop(into)]
    callback_url: Signal<String>,
    /// Ask for an address first: the form of the magic-link (`email`) provider.
    #[prop(optional)]
    email_field: bool,
) -> impl IntoView {
    let session = use_session();
    let action = session.paths().sign_in_with(&provider_id);
    // Markup as text: a few static elements cost far less client code this way.
    let address_field = move || {
        if !email_field {
            return String::new();
        }
        format!(
            r#"<label for="link-email">{}</label><input id="link-email" name="email" type="email" autocomplete="email" required>"#,
            escape(session.texts().get(ComponentText::SendLinkTo))
        )
    };
    view! {
        <form method="post" action=action class="provider-form">
            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
            <input type="hidden" name="callbackUrl" value=callback_url/>
            <div inner_html=address_field></div>
            <button type="submit" class="button wide">{label}</button>
        </form>
    }
}

/// One [`ProviderButton`] ("Sign in with <name>") per configured provider that signs in by
/// redirect (OAuth, OIDC), and "Email me a sign-in link" with an address field for the email
/// provider, in configuration order, in the visitor's language.
#[component]
pub fn ProviderButtons(
    /// Where to land after signing in.
    #[prop(into)]
    callback_url: Signal<String>,
) -> impl IntoView {
    let session = use_session();
    move || {
        session
            .providers()
            .into_iter()
            .filter(|p| p.kind.redirects() || p.kind == ProviderKind::Email)
            .map(|p| {
                let email_field = p.kind == ProviderKind::Email;
                let texts = session.texts();
                let label = if email_field {
                    texts.get(ComponentText::EmailMeALink).to_owned()
                } else {
                    texts
                        .get(ComponentText::SignInWith)
                        .replace("{provider}", &p.name)
                };
                view! { <ProviderButton provider_id=p.id label callback_url email_field/> }
            })
            .collect_view()
    }
}

/// The sign-up form: name, email and password, posted to `POST /api/auth/signup` as a plain
/// form, so it works with and without JavaScript. A refused sign-up comes back to the page
/// it was on (set `pages.sign_up` to it) with `?error=`, shown here with what was typed;
/// a new account goes on to `callback_url`.
#[component]
pub fn SignUpForm(
    /// Where to land after signing up.
    #[prop(into)]
    callback_url: Signal<String>,
) -> impl IntoView {
    let session = use_session();
    let texts = session.texts();
    let text = |t| escape(texts.get(t));
    let query = use_query_map();
    let typed = |key: &str| escape(&query.read_untracked().get(key).unwrap_or_default());
    let error = query
        .read_untracked()
        .get("error")
        .map(|code| {
            let retry_after = query.read_untracked().get("retryAfter");
            let message = texts.error(
                crate::AuthError::from_code(&code),
                retry_after.and_then(|s| s.parse().ok()),
            );
            format!(
                r#"<p class="form-error" role="alert" data-error="{}">{}</p>"#,
                escape(&code),
                escape(&message)
            )
        })
        .unwrap_or_default();
    // Markup as text: static fields cost far less client code this way.
    let fields = format!(
        r#"{error}<label for="name">{name_label}</label><input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="{name}"><label for="email">{email_label}</label><input id="email" name="email" type="email" autocomplete="email" required value="{email}"><label for="password">{password_label}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>"#,
        name = typed("name"),
        email = typed("email"),
        name_label = text(ComponentText::Name),
        email_label = text(ComponentText::Email),
        password_label = text(ComponentText::Password),
    );
    let sign_up = texts.get(ComponentText::SignUp).to_owned();
    view! {
        <form method="post" action=session.paths().sign_up() class="sign-up-form">
            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
            <input type="hidden" name="callbackUrl" value=callback_url/>
            <div inner_html=fields></div>
            <button type="submit" class="button primary wide">{sign_up}</button>
        </form>
    }
}
