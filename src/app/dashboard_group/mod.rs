//! The `(dashboard)` route group: the signed-in area with a shared navigation bar.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// Layout shared by every page of the `(dashboard)` group.
#[component]
pub fn DashboardLayout() -> impl IntoView {
    view! {
        <div class="dashboard-layout">
            <nav class="navbar">
                <A href="/" attr:class="brand">"leptos-auth"</A>
                <A href="/dashboard">"Dashboard"</A>
                <A href="/profile">"Profile"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <div class="dashboard-content">
                <Outlet/>
            </div>
        </div>
    }
}

/// `/dashboard`
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <h1>"Dashboard"</h1> }
}

/// `/profile`
#[component]
pub fn ProfilePage() -> impl IntoView {
    view! { <h1>"Profile"</h1> }
}

/// `/settings`
#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <h1>"Settings"</h1> }
}
