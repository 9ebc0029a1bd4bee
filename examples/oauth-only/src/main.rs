//! The server: GitHub and Google from their client ids and secrets, database sessions, the
//! PostgreSQL store from `DATABASE_URL`.
//!
//! ```sh
//! AUTH_GITHUB_ID=… AUTH_GITHUB_SECRET=… AUTH_GOOGLE_ID=… AUTH_GOOGLE_SECRET=… \
//! DATABASE_URL=postgres://user:password@127.0.0.1/app cargo run -p oauth-only --features ssr
//! ```
//!
//! Register `http://localhost:3000/api/auth/callback/github` and
//! `…/callback/google` as the redirect URIs at the providers.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() {
    use leptos::prelude::*;
    use leptos_auth::{
        Auth, AuthConfig,
        config::{Pages, SessionStrategy},
        providers::{github, google},
        store,
    };
    use leptos_axum::{LeptosRoutes, generate_route_list};
    use oauth_only::App;

    let required = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("set {name}"));
    let mut config = AuthConfig::from_env(false, "data/dev-secret".as_ref())
        .expect("auth configuration")
        .with_provider(github(
            required("AUTH_GITHUB_ID"),
            required("AUTH_GITHUB_SECRET"),
        ))
        .with_provider(google(
            required("AUTH_GOOGLE_ID"),
            required("AUTH_GOOGLE_SECRET"),
        ))
        .with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            ..Pages::default()
        });
    // The session is a row: revoking it works at once, on every instance.
    config.session.strategy = SessionStrategy::Database;
    let store = store::open(&required("DATABASE_URL"))
        .await
        .expect("the PostgreSQL database");
    let auth = Auth::new(config, store);

    let leptos_options = LeptosOptions::builder()
        .output_name("oauth-only")
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000")
        .await
        .expect("bind 127.0.0.1:3000");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    .expect("serve");
}

#[cfg(not(feature = "ssr"))]
fn main() {}
