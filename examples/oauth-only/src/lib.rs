//! Sign-in with GitHub and Google only: no passwords, no sign-up form (the first OAuth
//! sign-in creates the account), sessions kept in PostgreSQL (`database` strategy), so
//! signing out anywhere ends them at once on every instance.

use leptos::prelude::*;
use leptos_auth::{
    RedirectIfSignedIn, RequireSession, SessionProvider,
    client::{ProviderButtons, SessionStatus},
    use_session,
};
use leptos_router::{
    SsrMode,
    components::{Outlet, ParentRoute, Route, Router, Routes},
    path,
};

/// The app: a home page, the sign-in page with one button per provider, one guarded page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <SessionProvider sign_in_page="/sign-in">
            <Router>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignIn ssr=SsrMode::Async/>
                    <ParentRoute path=() view=Guarded ssr=SsrMode::Async>
                        <Route path=path!("/account") view=Account/>
                    </ParentRoute>
                </Routes>
            </Router>
        </SessionProvider>
    }
}

#[component]
fn Home() -> impl IntoView {
    let session = use_session();
    let status = move || match session.status() {
        SessionStatus::Authenticated => "Signed in",
        _ => "Not signed in",
    };
    view! { <Transition fallback=|| ()><p>{status}</p></Transition> <a href="/account">"Account"</a> }
}

/// "Sign in with GitHub" and "Sign in with Google": plain forms that leave for the provider,
/// with or without JavaScript.
#[component]
fn SignIn() -> impl IntoView {
    view! {
        <RedirectIfSignedIn default_target="/account">
            <h1>"Sign in"</h1>
            <ProviderButtons callback_url="/account"/>
        </RedirectIfSignedIn>
    }
}

#[component]
fn Guarded() -> impl IntoView {
    view! { <RequireSession><Outlet/></RequireSession> }
}

/// The session the provider's profile made: name, email and picture.
#[component]
fn Account() -> impl IntoView {
    let session = use_session();
    let user = move || session.data().map(|s| s.user);
    view! {
        <Transition fallback=|| ()>
            {move || user().map(|user| view! {
                <p>"Signed in as " {user.name} " " {user.email}</p>
            })}
            <button on:click=move |_| leptos::task::spawn_local(async move {
                session.sign_out(true, Some("/".into())).await;
            })>"Sign out"</button>
        </Transition>
    }
}

/// The WASM entry point.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
}
