//! The `(dashboard)` route group: the signed-in area with a shared navigation bar. Without a
//! session, the server answers 302 to the sign-in page (works without JavaScript) and the
//! client redirects the same way when the session ends while the page is open.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{A, Outlet},
    hooks::use_location,
};
use serde::Deserialize;

use super::{GuardRedirect, SIGN_IN_PAGE};
use crate::auth::{SessionStatus, csrf_token, use_session};

/// The demo's custom session fields (added by its `jwt` and `session` callbacks).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoFields {
    id: String,
    number_key: u64,
}

/// Layout shared by every page of the `(dashboard)` group.
#[component]
pub fn DashboardLayout() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let content = move || match session.status() {
        SessionStatus::Unauthenticated => {
            // Untracked: once the redirect changes the location, this must not run again.
            let here = format!(
                "{}{}",
                location.pathname.get_untracked(),
                location.search.get_untracked()
            );
            let query = serde_urlencoded::to_string([("callbackUrl", here)]).unwrap_or_default();
            view! { <GuardRedirect path=format!("{SIGN_IN_PAGE}?{query}")/> }.into_any()
        }
        SessionStatus::Loading => ().into_any(),
        SessionStatus::Authenticated => view! {
            <div class="dashboard-layout">
                <NavBar/>
                <div class="dashboard-content">
                    <Outlet/>
                </div>
            </div>
        }
        .into_any(),
    };
    view! { <Transition fallback=|| ()>{content}</Transition> }
}

#[component]
fn NavBar() -> impl IntoView {
    let session = use_session();
    let user = move || session.data().map(|s| s.user).unwrap_or_default();
    let csrf = Resource::new_blocking(|| (), |_| csrf_token());
    let on_sign_out = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(session.sign_out(true, Some("/".into())));
    };
    view! {
        <nav class="navbar">
            <A href="/" attr:class="brand">"leptos-auth"</A>
            <A href="/dashboard">"Dashboard"</A>
            <A href="/profile">"Profile"</A>
            <A href="/settings">"Settings"</A>
            <span class="nav-user" data-testid="nav-user">
                {move || user().name.unwrap_or_default()} " · " {move || user().email.unwrap_or_default()}
            </span>
            // A real form, so signing out works without JavaScript too.
            <form method="post" action="/api/auth/signout" on:submit=on_sign_out>
                <Transition fallback=|| ()>
                    <input type="hidden" name="csrfToken" value=move || csrf.get().and_then(Result::ok).unwrap_or_default()/>
                </Transition>
                <input type="hidden" name="callbackUrl" value="/"/>
                <button type="submit" class="button">"Sign out"</button>
            </form>
        </nav>
    }
}

/// `/dashboard`: who is signed in, with the custom session fields.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let fields = move || session.data().and_then(|s| s.user_fields::<DemoFields>());
    view! {
        <h1>"Dashboard"</h1>
        <dl class="session-fields">
            <dt>"Name"</dt>
            <dd data-testid="user-name">{move || session.data().and_then(|s| s.user.name).unwrap_or_default()}</dd>
            <dt>"Email"</dt>
            <dd data-testid="user-email">{move || session.data().and_then(|s| s.user.email).unwrap_or_default()}</dd>
            <dt>"User id"</dt>
            <dd data-testid="user-id">{move || fields().map(|f| f.id).unwrap_or_default()}</dd>
            <dt>"numberKey"</dt>
            <dd data-testid="number-key">{move || fields().map(|f| f.number_key.to_string()).unwrap_or_default()}</dd>
            <dt>"Session expires"</dt>
            <dd>{move || session.data().map(|s| s.expires).unwrap_or_default()}</dd>
        </dl>
    }
}

/// `/profile`: change the display name through the session `update()` flow.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    let name = RwSignal::new(session.data().and_then(|s| s.user.name).unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let data = serde_json::json!({ "name": name.get_untracked() });
        spawn_local(async move {
            session.update(data).await;
        });
    };
    view! {
        <h1>"Profile"</h1>
        <p>"Signed in as " <strong data-testid="profile-name">{move || session.data().and_then(|s| s.user.name).unwrap_or_default()}</strong></p>
        <form class="inline-form" on:submit=on_submit>
            <label for="display-name">"Display name"</label>
            <input id="display-name" type="text" bind:value=name/>
            <button type="submit" class="button primary">"Save"</button>
        </form>
    }
}

/// `/settings`
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <h1>"Settings"</h1>
        <p class="muted">"Linked accounts and sessions arrive with the OAuth provider."</p>
    }
}
