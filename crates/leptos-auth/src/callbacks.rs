//! Callbacks and events: the hooks an app uses to shape sign-in and sessions (docs/architecture.md
//! › Configuration and callbacks).

use async_trait::async_trait;
use serde_json::Value;
use url::Url;

pub use crate::session::jwt::Token;
use crate::{Session, redirect::default_redirect, store::User};

/// Why the `jwt` callback runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtTrigger {
    /// A user signed in: `user` is set.
    SignIn,
    /// A new user signed up and is signed in for the first time: `user` is set.
    SignUp,
    /// The client called `update(data)`: `session_update` holds `data`.
    Update,
    /// The session was read (e.g. `GET /api/auth/session`).
    None,
}

/// What the `jwt` callback is told besides the token.
#[derive(Debug, Clone, Copy)]
pub struct JwtParams<'a> {
    /// Why the callback runs.
    pub trigger: JwtTrigger,
    /// The user, on sign-in and sign-up.
    pub user: Option<&'a User>,
    /// The data sent by `update(data)`.
    pub session_update: Option<&'a Value>,
}

/// The hooks of Auth.js `callbacks`, each with the Auth.js default.
///
/// ```
/// use leptos_auth::{Session, async_trait, callbacks::{Callbacks, JwtParams, Token}};
///
/// /// Adds the user id to the session, as in the Auth.js docs.
/// struct AddUserId;
///
/// #[async_trait]
/// impl Callbacks for AddUserId {
///     async fn session(&self, mut session: Session, token: &Token) -> Session {
///         session.user.extra.insert("id".into(), token.sub.clone().into());
///         session
///     }
/// }
/// ```
#[async_trait]
pub trait Callbacks: Send + Sync + 'static {
    /// May this user sign in? `false` ends in `AccessDenied`.
    async fn sign_in(&self, _user: &User, _provider_id: &str) -> bool {
        true
    }

    /// Where to send the browser after sign-in or sign-out. `url` is what the client asked
    /// for; the default allows relative and same-origin URLs only (no open redirect).
    async fn redirect(&self, url: &str, base_url: &Url) -> String {
        default_redirect(url, base_url)
    }

    /// Shapes the token stored in the session cookie. Add fields to `token.extra`.
    async fn jwt(&self, token: Token, _params: JwtParams<'_>) -> Token {
        token
    }

    /// Shapes the session sent to the client from the token.
    async fn session(&self, session: Session, _token: &Token) -> Session {
        session
    }
}

/// The Auth.js default callbacks.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultCallbacks;

#[async_trait]
impl Callbacks for DefaultCallbacks {}

/// Listeners for what happened (docs/architecture.md › Configuration and callbacks). They cannot
/// change the outcome.
#[async_trait]
pub trait Events: Send + Sync + 'static {
    /// A user signed in.
    async fn sign_in(&self, _user: &User, _provider_id: &str, _is_new_user: bool) {}
    /// A session ended by sign-out.
    async fn sign_out(&self, _token: Option<&Token>) {}
    /// A user was created.
    async fn create_user(&self, _user: &User) {}
    /// An account (OAuth) was linked to a user.
    async fn link_account(&self, _user: &User, _provider_id: &str) {}
    /// A user's profile changed.
    async fn update_user(&self, _user: &User) {}
    /// A session was read.
    async fn session(&self, _session: &Session) {}
}

/// Events that do nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

#[async_trait]
impl Events for NoEvents {}
