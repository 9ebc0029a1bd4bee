//! How the demo app configures the auth layer: the credentials provider, its own sign-in
//! page, and callbacks that add custom fields to the session (as in the Auth.js docs).

use leptos_auth::{
    AuthConfig, Callbacks, Credentials, JwtParams, JwtTrigger, Pages, Session, Token, async_trait,
};
use serde_json::Value;

/// The demo's additions to the library defaults.
pub fn configure_auth(config: AuthConfig) -> AuthConfig {
    config
        .with_provider(Credentials::email_password())
        .with_providers_from_env()
        .with_callbacks(DemoCallbacks)
        .with_pages(Pages {
            sign_in: Some("/sign-in".into()),
            new_user: Some("/dashboard".into()),
            ..Pages::default()
        })
}

/// Puts `numberKey` in the token on sign-in, and copies it and the user id into
/// `session.user` (the seeds' `numberKey` and `_id` examples). `update({"name": …})` renames
/// the user in the session.
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
        if let Some(number_key) = token.extra.get("numberKey") {
            session
                .user
                .extra
                .insert("numberKey".into(), number_key.clone());
        }
        session
    }
}
