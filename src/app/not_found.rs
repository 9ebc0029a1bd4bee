use leptos::prelude::*;

/// The page for paths that match no route. During server rendering it also sets the HTTP
/// status to 404, so crawlers and monitors see a real "not found".
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <section class="not-found card">
            <p class="status-code">"404"</p>
            <h1>"Page not found"</h1>
            <p>"The page you asked for does not exist or has moved."</p>
            <a href="/" class="button primary">"Back to the home page"</a>
        </section>
    }
}
