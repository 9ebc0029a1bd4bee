//! The axum server: configuration, static assets and the router that serves the app.
//!
//! Everything in here is server-only (feature `ssr`); `main.rs` only calls into it.

pub mod assets;
pub mod config;
mod shell;
pub mod telemetry;

use axum::{
    Router,
    body::Body,
    extract::{FromRef, State},
    http::{Method, Request, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use leptos::prelude::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

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

/// Builds the whole application router: health check, Leptos pages and server functions,
/// static assets, and the Leptos 404 page for everything else.
pub fn router(config: &SiteConfig, assets: AssetLookup) -> Router {
    let leptos_options = config.leptos_options();
    let asset_root = assets::asset_root(assets, &leptos_options);
    let state = AppState {
        leptos_options,
        assets,
        asset_root,
    };

    let routes = generate_route_list(App);
    let shell = {
        let state = state.clone();
        move || shell::shell(state.leptos_options.clone(), state.asset_root.clone())
    };

    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes(&state, routes, shell)
        .fallback(static_file_or_not_found)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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

    let shell = {
        let state = state.clone();
        move || shell::shell(state.leptos_options.clone(), state.asset_root.clone())
    };
    let render = leptos_axum::render_app_to_stream_with_context(|| {}, shell);
    let mut response = render(req).await;
    // The NotFound view sets 404 itself; this guards against a route that forgot to.
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}
