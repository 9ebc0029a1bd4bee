//! The REST endpoints (docs/architecture.md › Endpoints), one file per endpoint family, as in
//! Auth.js core. POST actions take a [`request::CheckedPost`] (parsed once, CSRF checked
//! before the handler runs) and answer a [`reply::Reply`].

mod account_sessions;
mod audit_log;
mod callback;
mod csrf;
mod email_verification;
mod error;
mod magic_link;
mod passkey;
mod password_change;
mod password_reset;
mod providers;
pub(crate) mod reply;
pub(crate) mod request;
mod session;
mod sign_up;
mod signin;
mod signout;
mod two_factor;
mod verify_request;

use axum::{
    Router,
    routing::{get, post},
};

use crate::{Auth, providers::Provider};

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
            .route(&paths.sign_up(), get(sign_up::get).post(sign_up::post))
            .route(&paths.sign_out(), get(signout::get).post(signout::post))
            .route(&paths.error(), get(error::get))
            .route(&paths.verify_request(), get(verify_request::get))
            .route(&paths.sessions(), get(account_sessions::list))
            .route(&paths.revoke_sessions(), post(account_sessions::revoke))
            .route(
                &paths.change_password(),
                post(password_change::change_password),
            )
            .route(&paths.audit(), get(audit_log::audit))
            .route(
                &paths.forgot_password(),
                post(password_reset::forgot_password),
            )
            .route(
                &paths.reset_password(),
                get(password_reset::reset_password_page).post(password_reset::reset_password),
            )
            .route(
                &paths.send_verification(),
                post(email_verification::send_verification),
            )
            .route(
                &paths.verify_email(),
                get(email_verification::verify_email_page).post(email_verification::verify_email),
            )
            .route(
                &paths.webauthn_options("{provider}"),
                post(passkey::options),
            )
            .route(&paths.passkeys(), get(passkey::list))
            .route(&paths.rename_passkey(), post(passkey::rename))
            .route(&paths.delete_passkey(), post(passkey::delete))
            .route(&paths.remove_password(), post(passkey::remove_password))
            .route(
                &paths.passkey_sign_in_script(),
                get(passkey::sign_in_script),
            )
            .route(
                &paths.passkey_manager_script(),
                get(passkey::manager_script),
            )
            .route(&paths.two_factor(), get(two_factor::page))
            .route(&paths.verify_two_factor(), post(two_factor::verify))
            .route(&paths.two_factor_status(), get(two_factor::status))
            .route(&paths.set_up_two_factor(), post(two_factor::set_up))
            .route(&paths.enable_two_factor(), post(two_factor::enable))
            .route(&paths.disable_two_factor(), post(two_factor::disable))
            .route(
                &paths.regenerate_backup_codes(),
                post(two_factor::regenerate),
            )
            .route(&paths.reauthenticate(), post(two_factor::reauthenticate))
            .with_state(self.clone())
    }

    pub(crate) fn provider(&self, id: &str) -> Option<&Provider> {
        self.config().providers.iter().find(|p| p.id() == id)
    }
}
