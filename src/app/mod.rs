//! The demo app: a user of [`crate::auth`] like any other.

mod auth_group;
mod dashboard_group;
mod home;
mod not_found;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

use auth_group::{AuthLayout, SignInPage, SignUpPage};
use dashboard_group::{DashboardLayout, DashboardPage, ProfilePage, SettingsPage};
use home::HomePage;
pub use not_found::NotFound;

/// The root component, rendered by the server and hydrated by the WASM client.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();

    view! {
        <Title text="leptos-auth"/>
        <Router>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    // Route groups: pathless parents that only contribute a layout.
                    <ParentRoute path=() view=AuthLayout>
                        <Route path=path!("/sign-in") view=SignInPage/>
                        <Route path=path!("/sign-up") view=SignUpPage/>
                    </ParentRoute>
                    <ParentRoute path=() view=DashboardLayout>
                        <Route path=path!("/dashboard") view=DashboardPage/>
                        <Route path=path!("/profile") view=ProfilePage/>
                        <Route path=path!("/settings") view=SettingsPage/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
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
