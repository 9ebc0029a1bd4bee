//! The axum server: configuration, static assets and the router that serves the app.
//!
//! Everything in here is server-only (feature `ssr`); `main.rs` only calls into it.

pub mod assets;
pub mod cli;
pub mod config;
pub mod import;
pub mod serve;
mod shell;
pub mod telemetry;

use axum::{
    Router,
    body::Body,
    extract::{FromRef, State},
    http::{Method, Request, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use leptos::prelude::LeptosOptions;
use leptos_auth::{Auth, AuthConfig};
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

use crate::app::App;
pub use assets::AssetLookup;
pub use config::{ConfigError, SiteConfig};

/// State shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    leptos_options: LeptosOptions,
    assets: AssetLookup,
    /// URL prefix under which `/pkg` assets are referenced: `/_v/<content hash>` when the
    /// assets are embedded (so browsers may cache them forever), empty in development.
    asset_root: String,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The largest request body accepted anywhere in the app.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// Builds the whole application router: health check, the Auth.js endpoints, Leptos pages
/// and server functions, static assets, and the Leptos 404 page for everything else.
pub fn router(config: &SiteConfig, assets: AssetLookup, auth: Auth) -> Router {
    let leptos_options = config.leptos_options();
    let asset_root = assets::asset_root(assets, &leptos_options);
    let state = AppState {
        leptos_options,
        assets,
        asset_root,
    };

    Router::new()
        .route("/healthz", get(healthz))
        .merge(auth.router())
        .leptos_routes_with_context(&state, route_list(), || (), state.shell())
        .fallback(static_file_or_not_found)
        // Auth in every request (pages, server functions), cross-site writes refused.
        .layer(auth.layer())
        // Every request body of this app is a short form: refuse big ones (413) unread.
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(middleware::from_fn(only_requests_for_paths))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `CONNECT host:port` (this is no proxy) and any other request without a path are answered
/// here: the Leptos 404 page behind the routes expects a path, and panicked without one.
async fn only_requests_for_paths(request: Request<Body>, next: Next) -> Response {
    if request.method() == Method::CONNECT {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    if request.uri().path_and_query().is_none() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    next.run(request).await
}

/// The app's routes, generated once per process. Generating them renders the app with
/// resource loading suppressed process-wide, and a resource first polled meanwhile by a
/// render in flight would never resolve (leptos#4773): several routers in one process (tests)
/// must not generate concurrently with serving.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

impl AppState {
    fn shell(&self) -> impl Fn() -> shell::Shell + Clone + Send + Sync + 'static {
        let options = self.leptos_options.clone();
        let asset_root = self.asset_root.clone();
        move || shell::shell(options.clone(), asset_root.clone())
    }
}

/// What the auth layer is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Answering requests: in production the site URL must be known.
    Serve,
    /// An admin command: it answers no request and mails no link, so it needs only the
    /// database and the secret.
    Admin,
}

/// Opens the store and builds the auth layer the way the server and the CLI both use it:
/// the environment's secrets and URL, `Leptos.toml`'s `[auth]` settings, the demo app's
/// providers and callbacks.
pub async fn build_auth(config: &SiteConfig, purpose: Purpose) -> Result<Auth, String> {
    let dev_secret_file = config.data_dir.join("dev-secret");
    let env = |name: &str| std::env::var(name).ok();
    let lookup = |name: &str| match (purpose, name) {
        // No link is made, so neither a mail server nor the URL links would point at.
        (Purpose::Admin, "AUTH_EMAIL_SERVER" | "AUTH_EMAIL_FROM") => None,
        (Purpose::Admin, "AUTH_TRUST_HOST") => env(name).or(Some("false".into())),
        _ => env(name),
    };
    let mut auth_config = AuthConfig::from_vars(config.is_production(), &dev_secret_file, lookup)
        .map_err(|e| e.to_string())?;
    // Leptos.toml's [auth] settings, each where its environment variable is not set.
    let file = &config.auth;
    auth_config
        .apply_settings(&|name| {
            std::env::var_os(name)
                .is_none()
                .then(|| file.setting(name))
                .flatten()
        })
        .map_err(|e| e.to_string())?;
    if std::env::var_os("AUTH_TRUST_HOST").is_none() {
        auth_config.trust_host = file.trust_host.unwrap_or(false);
    }
    if std::env::var_os("AUTH_RATE_LIMITS").is_none()
        && let Some(enabled) = file.rate_limits
    {
        auth_config.rate_limits.enabled = enabled;
    }
    let store = cli::open_store(&config.database_url).await?;
    let auth = Auth::new(crate::app::configure_auth(auth_config), store);
    // Provider tokens an earlier version stored unbound are bound to their accounts.
    match auth.migrate_stored_tokens().await {
        Ok(0) => {}
        Ok(changed) => tracing::info!(accounts = changed, "provider tokens re-encrypted"),
        Err(e) => return Err(format!("cannot re-encrypt stored provider tokens: {e}")),
    }
    Ok(auth)
}

/// Liveness probe for load balancers.
async fn healthz() -> impl IntoResponse {
    "ok"
}

/// Serves a static asset when one matches the path, otherwise the Leptos 404 page.
async fn static_file_or_not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD)
        && let Some(response) = assets::serve(state.assets, req.uri().path(), req.headers())
    {
        return response;
    }

    let render = leptos_axum::render_app_to_stream_with_context(|| (), state.shell());
    let mut response = render(req).await;
    // The NotFound view sets 404 itself; this guards against a route that forgot to.
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}
