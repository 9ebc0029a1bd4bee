//! The REST endpoints (docs/architecture.md › Endpoints), one file per endpoint family, as in
//! Auth.js core. POST actions take an [`request::ActionPost`] (parsed once, CSRF checked in one
//! line) and answer a [`reply::Reply`].

pub(crate) mod callback;
mod csrf;
mod email;
mod error;
mod providers;
pub(crate) mod reply;
pub(crate) mod request;
mod session;
mod sessions;
mod signin;
mod signout;
mod verify_request;

use axum::{
    Router,
    routing::{get, post},
};

use crate::{Auth, Provider};

impl Auth {
    /// The `/api/auth/*` endpoints (under the configured base path), to merge into the app's
    /// router. Add [`Auth::layer`] too, so pages, handlers and server functions find the
    /// auth layer.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let paths = self.paths();
        Router::new()
            .route(&paths.csrf(), get(csrf::get))
            .route(&paths.providers(), get(providers::get))
            .route(&paths.session(), get(session::get).post(session::post))
            .route(&paths.sign_in(), get(signin::get))
            .route(&paths.sign_in_with("{provider}"), post(signin::post))
            .route(
                &paths.callback("{provider}"),
                get(callback::get).post(callback::post),
            )
            .route(&paths.sign_out(), get(signout::get).post(signout::post))
            .route(&paths.error(), get(error::get))
            .route(&paths.verify_request(), get(verify_request::get))
            .route(&paths.sessions(), get(sessions::list))
            .route(&paths.revoke_sessions(), post(sessions::revoke))
            .route(&paths.change_password(), post(sessions::change_password))
            .route(&paths.audit(), get(sessions::audit))
            .route(&paths.forgot_password(), post(email::forgot_password))
            .route(
                &paths.reset_password(),
                get(email::reset_password_page).post(email::reset_password),
            )
            .route(&paths.send_verification(), post(email::send_verification))
            .route(
                &paths.verify_email(),
                get(email::verify_email_page).post(email::verify_email),
            )
            .with_state(self.clone())
    }

    pub(crate) fn provider(&self, id: &str) -> Option<&Provider> {
        self.config().providers.iter().find(|p| p.id() == id)
    }
}
