//! The smallest app with leptos-auth: a home page, sign-in and sign-up pages, and a page
//! only signed-in users see. Everything auth-related comes from the library's public API.

use leptos::prelude::*;
use leptos_auth::{
    AuthFnError, RedirectIfSignedIn, RequireSession, SessionProvider,
    client::{SessionStatus, SignInOptions, SignUpForm},
    use_session,
};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The whole app: the session provider around the router, one guarded route.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <SessionProvider sign_in_page="/sign-in">
            <Router>
                <Routes fallback=|| "Not found">
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view=SignUp ssr=SsrMode::Async/>
                    // Async SSR lets the guard answer a real 302 when signed out.
                    <ParentRoute path=() view=Protected ssr=SsrMode::Async>
                        <Route path=path!("/secret") view=Secret/>
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
    view! { <Transition fallback=|| ()><p>{status}</p></Transition> <a href="/secret">"Secret"</a> }
}

/// Email and password: a plain form that works without JavaScript, signed in by the
/// client library when JavaScript runs.
#[component]
fn SignIn() -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let options = SignInOptions {
            fields: vec![
                ("email".into(), email.get_untracked()),
                ("password".into(), password.get_untracked()),
            ],
            callback_url: Some("/secret".into()),
            ..SignInOptions::default()
        };
        leptos::task::spawn_local(async move {
            let response = session.sign_in(Some("credentials"), options).await;
            error.set(response.error.map(|e| e.user_message()));
        });
    };
    view! {
        <RedirectIfSignedIn default_target="/secret">
            <form method="post" action=session.paths().callback("credentials") on:submit=on_submit>
                <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
                <input type="hidden" name="callbackUrl" value="/secret"/>
                {move || error.get().map(|message| view! { <p role="alert">{message}</p> })}
                <input name="email" type="email" bind:value=email/>
                <input name="password" type="password" bind:value=password/>
                <button type="submit">"Sign in"</button>
            </form>
        </RedirectIfSignedIn>
    }
}

/// New accounts: the library's form posts to its sign-up endpoint, which signs the new
/// user in and goes on to `/secret`, or comes back here with the error (`pages.sign_up`).
#[component]
fn SignUp() -> impl IntoView {
    view! {
        <RedirectIfSignedIn default_target="/secret">
            <SignUpForm callback_url="/secret"/>
        </RedirectIfSignedIn>
    }
}

#[component]
fn Protected() -> impl IntoView {
    view! { <RequireSession><leptos_router::components::Outlet/></RequireSession> }
}

#[component]
fn Secret() -> impl IntoView {
    let email = Resource::new(|| (), |_| my_email());
    view! {
        <Transition fallback=|| ()>
            <p>"Only for you, " {move || email.get().and_then(Result::ok)}</p>
        </Transition>
    }
}

/// The signed-in user's email, read on the server from the session.
#[server]
pub async fn my_email() -> Result<String, AuthFnError> {
    use leptos_auth::SignedInUser;

    let user: SignedInUser = leptos_axum::extract().await?;
    Ok(user.session.user.email.unwrap_or_default())
}

/// The WASM entry point.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_body(App);
}
