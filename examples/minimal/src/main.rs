//! The server of the minimal example: an `AuthConfig`, a store, the router — that is all.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use leptos::prelude::*;
    use leptos_auth::{Auth, AuthConfig, config::Pages, providers::Credentials, store};
    use leptos_axum::{LeptosRoutes, generate_route_list};
    use minimal::App;

    let production = false;
    let config = AuthConfig::from_env(production, "data/dev-secret".as_ref())
        .expect("auth configuration")
        .with_provider(Credentials::email_password())
        .with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            sign_up: Some("/sign-up".into()),
            ..Pages::default()
        });
    // `sqlite://…` or `postgres://…` (feature `postgres`); migrations run on opening.
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://data/minimal.db".into());
    let store = store::open(&database_url).await.expect("database");
    let auth = Auth::new(config, store);

    let leptos_options = LeptosOptions::builder()
        .output_name("minimal")
        .site_addr(([127, 0, 0, 1], 3000))
        .build();
    let routes = generate_route_list(App);
    let shell = {
        let options = leptos_options.clone();
        move || {
            view! {
                <!DOCTYPE html>
                <html lang="en">
                    <head><HydrationScripts options=options.clone()/></head>
                    <body><App/></body>
                </html>
            }
        }
    };
    let app = axum::Router::new()
        .merge(auth.router())
        .leptos_routes(&leptos_options, routes, shell)
        .layer(auth.layer())
        .with_state(leptos_options);
    let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("bind the site address");
    axum::serve(
        listener,
        // The client address is what the per-IP rate limits count.
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .expect("serve");
}

#[cfg(not(feature = "ssr"))]
fn main() {}
