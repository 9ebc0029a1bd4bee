use leptos::{either::Either, prelude::*, task::spawn_local};

use leptos_auth::{client::SessionStatus, use_session};

/// The public home page: the Auth.js `useSession()` example.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let (clicks, set_clicks) = signal(0u32);

    let status = move || match session.status() {
        SessionStatus::Authenticated => {
            let user = session.data().map(|s| s.user).unwrap_or_default();
            let who = user.email.or(user.name).unwrap_or_default();
            Either::Left(view! {
                <p class="session-status" data-testid="session-status">"Signed in as " {who}</p>
                <div class="actions">
                    <a href="/dashboard" class="button primary">"Dashboard"</a>
                    <button class="button" on:click=move |_| spawn_local(session.sign_out(true, Some("/".into())))>
                        "Sign out"
                    </button>
                </div>
            })
        }
        SessionStatus::Unauthenticated | SessionStatus::Loading => Either::Right(view! {
            <p class="session-status" data-testid="session-status">"Not signed in"</p>
            <div class="actions">
                <a href="/sign-in" class="button primary">"Sign in"</a>
                <a href="/dashboard" class="button">"Dashboard"</a>
            </div>
        }),
    };

    view! {
        <section class="hero">
            <h1>"leptos-auth"</h1>
            <p class="lead">
                "Sign-in, sessions and protected pages for Leptos, speaking the Auth.js protocol."
            </p>
            <Transition fallback=|| ()>{status}</Transition>
            <div class="counter">
                <button
                    class="button"
                    data-testid="counter"
                    on:click=move |_| set_clicks.update(|n| *n += 1)
                >
                    "Clicked " {clicks} " times"
                </button>
            </div>
        </section>
    }
}
