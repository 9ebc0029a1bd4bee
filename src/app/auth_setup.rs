//! How the demo app configures the auth layer: the credentials and passkey providers, its own
//! sign-in page, and callbacks that add custom fields to the session (as in the Auth.js docs).

use leptos_auth::{
    AuthConfig, Session, async_trait,
    callbacks::{Callbacks, JwtParams, JwtTrigger, Token},
    config::Pages,
    providers::{Credentials, EmailLink, Passkey},
};
use serde_json::Value;

/// The demo's additions to the library defaults.
pub fn configure_auth(config: AuthConfig) -> AuthConfig {
    let config = config
        .with_provider(Credentials::email_password())
        .with_provider(Passkey::new());
    // Magic links only where mail can go out (SMTP, or the log in development).
    let config = if config.can_send_mail() {
        config.with_provider(EmailLink::magic_link())
    } else {
        config
    };
    config
        .with_providers_from_env()
        .with_callbacks(DemoCallbacks)
        .with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            sign_up: Some("/sign-up".into()),
            reset_password: Some("/reset-password".into()),
            ..Pages::default()
        })
}

/// Puts `numberKey` and `emailVerified` in the token on sign-in, and copies them and the
/// user id into `session.user` (the seeds' `numberKey` and `_id` examples).
/// `update({"name": …})` renames the user in the session.
struct DemoCallbacks;

/// A per-user number, stable across sign-ins, to show that custom claims travel from the
/// `jwt` callback through the cookie to both sides.
fn number_key(user_id: &str) -> u64 {
    user_id.bytes().map(u64::from).sum::<u64>() % 1000
}

#[async_trait]
impl Callbacks for DemoCallbacks {
    async fn jwt(&self, mut token: Token, params: JwtParams<'_>) -> Token {
        match params.trigger {
            JwtTrigger::SignIn | JwtTrigger::SignUp => {
                token
                    .extra
                    .insert("numberKey".into(), number_key(&token.sub).into());
                let verified = params.user.is_some_and(|u| u.email_verified.is_some());
                token.extra.insert("emailVerified".into(), verified.into());
            }
            JwtTrigger::Update => {
                let name = params
                    .session_update
                    .and_then(|d| d.get("name"))
                    .and_then(Value::as_str);
                if let Some(name) = name
                    .map(str::trim)
                    .filter(|n| !n.is_empty() && n.len() <= 100)
                {
                    token.name = Some(name.to_owned());
                }
            }
            JwtTrigger::None => {}
        }
        token
    }

    async fn session(&self, mut session: Session, token: &Token) -> Session {
        session
            .user
            .extra
            .insert("id".into(), token.sub.clone().into());
        for claim in ["numberKey", "emailVerified"] {
            if let Some(value) = token.extra.get(claim) {
                session.user.extra.insert(claim.into(), value.clone());
            }
        }
        session
    }
}
