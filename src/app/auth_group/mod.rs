//! The `(auth)` route group: sign-in and sign-up pages in one centered-card layout.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// Layout shared by every page of the `(auth)` group.
#[component]
pub fn AuthLayout() -> impl IntoView {
    view! {
        <div class="auth-layout">
            <div class="card auth-card">
                <A href="/" attr:class="brand">"leptos-auth"</A>
                <Outlet/>
            </div>
        </div>
    }
}

/// `/sign-in`
#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <h1>"Sign in"</h1>
        <p class="muted">"Sign-in arrives with the credentials provider."</p>
        <p>"No account yet? " <A href="/sign-up">"Sign up"</A></p>
    }
}

/// `/sign-up`
#[component]
pub fn SignUpPage() -> impl IntoView {
    view! {
        <h1>"Create an account"</h1>
        <p class="muted">"Sign-up arrives with the credentials provider."</p>
        <p>"Already registered? " <A href="/sign-in">"Sign in"</A></p>
    }
}
