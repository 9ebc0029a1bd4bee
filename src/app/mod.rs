//! The demo app: a user of [`leptos_auth`] like any other.

mod auth_group;
#[cfg(feature = "ssr")]
mod auth_setup;
mod dashboard_group;
mod home;
mod not_found;

use auth_group::{AuthLayout, ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage};
#[cfg(feature = "ssr")]
pub use auth_setup::configure_auth;
use dashboard_group::{DashboardLayout, DashboardPage, ProfilePage, SettingsPage, TopArtistsPage};
use home::HomePage;
use leptos::prelude::*;
use leptos_auth::SessionProvider;
use leptos_router::{
    SsrMode,
    components::{ParentRoute, Route, Router, Routes},
    path,
};
pub use not_found::NotFound;

/// The app's own sign-in page (also configured as `pages.sign_in` on the server).
pub const SIGN_IN_PAGE: &str = "/sign-in";

/// The root component, rendered by the server and hydrated by the WASM client.
#[component]
pub fn App() -> impl IntoView {
    mark_hydrated();

    view! {
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
                            <Route path=path!("/forgot-password") view=ForgotPasswordPage/>
                            <Route path=path!("/reset-password") view=ResetPasswordPage/>
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

/// Escapes text for HTML content and attribute values, for the parts of pages made as text
/// (`inner_html`) on either side.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
