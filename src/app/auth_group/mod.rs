//! The `(auth)` route group: sign-in and sign-up pages in one centered-card layout. A user
//! who is already signed in is sent on to `callbackUrl` (or the dashboard).

mod sign_in;
mod sign_up;

use leptos::{either::Either, prelude::*};
use leptos_router::{components::Outlet, hooks::use_query_map};

pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;

use super::{GuardRedirect, local_callback_url};
use crate::auth::{SessionStatus, use_session};

/// Layout shared by every page of the `(auth)` group.
#[component]
pub fn AuthLayout() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let content = move || {
        if session.status() == SessionStatus::Authenticated {
            let target =
                local_callback_url(query.read_untracked().get("callbackUrl"), "/dashboard");
            return Either::Left(view! { <GuardRedirect path=target/> });
        }
        Either::Right(view! {
            <div class="auth-layout">
                <div class="card auth-card">
                    <a href="/" class="brand">"leptos-auth"</a>
                    <Outlet/>
                </div>
            </div>
        })
    };
    view! { <Transition fallback=|| ()>{content}</Transition> }
}
