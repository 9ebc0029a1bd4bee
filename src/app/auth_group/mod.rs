//! The `(auth)` route group: sign-in, sign-up and password-reset pages in one centered-card
//! layout. A user who is already signed in is sent on to `callbackUrl` (or the dashboard).

mod password_reset;
mod sign_in;
mod sign_up;

use leptos::prelude::*;
use leptos_auth::RedirectIfSignedIn;
use leptos_router::components::Outlet;

pub use password_reset::{ForgotPasswordPage, ResetPasswordPage};
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;

/// Layout shared by every page of the `(auth)` group.
#[component]
pub fn AuthLayout() -> impl IntoView {
    view! {
        <RedirectIfSignedIn default_target="/dashboard">
            <div class="auth-layout">
                <div class="card auth-card">
                    <a href="/" class="brand">"leptos-auth"</a>
                    <Outlet/>
                </div>
            </div>
        </RedirectIfSignedIn>
    }
}
