//! The demo app: a user of [`crate::auth`] like any other.

mod auth_group;
#[cfg(feature = "ssr")]
mod auth_setup;
mod dashboard_group;
mod home;
mod not_found;
mod provider_button;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Redirect, Route, Router, Routes},
    path,
};

use crate::auth::SessionProvider;
use auth_group::{AuthLayout, SignInPage, SignUpPage};
#[cfg(feature = "ssr")]
pub use auth_setup::configure_auth;
use dashboard_group::{DashboardLayout, DashboardPage, ProfilePage, SettingsPage, TopArtistsPage};
use home::HomePage;
pub use not_found::NotFound;
use provider_button::ProviderButton;

/// The app's own sign-in page (also configured as `pages.sign_in` on the server).
pub const SIGN_IN_PAGE: &str = "/sign-in";

/// The root component, rendered by the server and hydrated by the WASM client.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();

    view! {
        <Title text="leptos-auth"/>
        <SessionProvider refetch_interval=300 sign_in_page=SIGN_IN_PAGE>
            <Router>
                <main>
                    <Routes fallback=NotFound>
                        // Async: the signed-in state is in the HTML even without JavaScript.
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                        // Route groups: pathless parents that only contribute a layout (and,
                        // here, a guard). Async SSR lets a guard answer with a real 302.
                        <ParentRoute path=() view=AuthLayout ssr=SsrMode::Async>
                            <Route path=path!("/sign-in") view=SignInPage/>
                            <Route path=path!("/sign-up") view=SignUpPage/>
                        </ParentRoute>
                        <ParentRoute path=() view=DashboardLayout ssr=SsrMode::Async>
                            <Route path=path!("/dashboard") view=DashboardPage/>
                            <Route path=path!("/profile") view=ProfilePage/>
                            <Route path=path!("/settings") view=SettingsPage/>
                            <Route path=path!("/top-artists") view=TopArtistsPage/>
                        </ParentRoute>
                    </Routes>
                </main>
            </Router>
        </SessionProvider>
    }
}

/// Sets `data-hydrated` on `<body>` once the WASM client has taken over the page.
///
/// Effects never run during server rendering, so the attribute's presence tells browser tests
/// (and curious developers) that hydration finished and clicks are handled by the client.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
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

/// A `callbackUrl` the app is willing to navigate to: a local path, else `fallback`.
pub(crate) fn local_callback_url(requested: Option<String>, fallback: &str) -> String {
    let path = requested.map(|url| match url.find("://") {
        // Absolute URLs come back from the server's redirect callback, which already
        // checked the origin: keep their path.
        Some(scheme_end) => url[scheme_end + 3..]
            .find('/')
            .map(|i| url[scheme_end + 3 + i..].to_owned())
            .unwrap_or_else(|| "/".into()),
        None => url,
    });
    match path {
        Some(path)
            if path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") =>
        {
            path
        }
        _ => fallback.to_owned(),
    }
}
