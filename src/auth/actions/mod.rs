//! The REST endpoints of SPEC §2, one file per endpoint family, as in Auth.js core.

pub(crate) mod callback;
mod csrf;
mod error;
mod providers;
mod session;
mod signin;
mod signout;
mod verify_request;

use axum::{Router, routing::get};

use super::Auth;

impl Auth {
    /// The `/api/auth/*` endpoints (under the configured base path), to merge into the app's
    /// router.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let base = &self.config().base_path;
        Router::new()
            .route(&format!("{base}/csrf"), get(csrf::get))
            .route(&format!("{base}/providers"), get(providers::get))
            .route(
                &format!("{base}/session"),
                get(session::get).post(session::post),
            )
            .route(&format!("{base}/signin"), get(signin::get))
            .route(
                &format!("{base}/signin/{{provider}}"),
                axum::routing::post(signin::post),
            )
            .route(
                &format!("{base}/callback/{{provider}}"),
                get(callback::get).post(callback::post),
            )
            .route(
                &format!("{base}/signout"),
                get(signout::get).post(signout::post),
            )
            .route(&format!("{base}/error"), get(error::get))
            .route(&format!("{base}/verify-request"), get(verify_request::get))
            .with_state(self.clone())
    }

    pub(crate) fn provider(&self, id: &str) -> Option<&super::Provider> {
        self.config().providers.iter().find(|p| p.id() == id)
    }
}

/// Appends query parameters, skipping absent ones, percent-encoded.
pub(crate) fn with_query(url: &str, params: &[(&str, Option<&str>)]) -> String {
    let query: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|(k, v)| Some((*k, (*v)?)))
        .collect();
    if query.is_empty() {
        return url.to_owned();
    }
    let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}{encoded}")
}
