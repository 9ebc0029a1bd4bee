use leptos::prelude::*;
use leptos_router::components::A;

/// The public home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let (clicks, set_clicks) = signal(0u32);

    view! {
        <section class="hero">
            <h1>"leptos-auth"</h1>
            <p class="lead">
                "Sign-in, sessions and protected pages for Leptos, speaking the Auth.js protocol."
            </p>
            <p class="session-status" data-testid="session-status">"Not signed in"</p>
            <div class="actions">
                <A href="/sign-in" attr:class="button primary">"Sign in"</A>
                <A href="/dashboard" attr:class="button">"Dashboard"</A>
            </div>
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
