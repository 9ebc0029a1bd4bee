//! # leptos-auth
//!
//! Auth.js (NextAuth.js) for Leptos: credentials and OAuth/OpenID Connect sign-in, JWT
//! sessions, CSRF protection and guarded pages, wire-compatible with the Auth.js REST API
//! (`/api/auth/*`) so that even the `next-auth/react` client can talk to it.
//!
//! Two features decide what compiles where, as in every Leptos app:
//!
//! * `hydrate` — the WASM client: [`SessionProvider`], [`use_session`], [`sign_in`],
//!   [`sign_out`], the guards and buttons in [`RequireSession`] and [`ProviderButton`];
//! * `ssr` — the server: [`AuthConfig`] (the `authOptions` of Auth.js), [`Auth`] (its router
//!   and [`Auth::layer`]), providers, callbacks, the [`Store`] and the [`SignedInUser`]
//!   extractor; `sqlite` adds [`SqliteStore`].
//!
//! ## Mounting on the server
//!
//! ```
//! # #[cfg(feature = "ssr")] {
//! use std::sync::Arc;
//! use leptos_auth::{Auth, AuthConfig, Credentials, MemoryStore, SignedInUser};
//!
//! async fn whoami(user: SignedInUser) -> String {
//!     user.session.user.email.unwrap_or_default()
//! }
//!
//! let config = AuthConfig::new(vec!["a secret of at least thirty-two bytes!".into()])
//!     .with_provider(Credentials::email_password());
//! let auth = Auth::new(config, Arc::new(MemoryStore::default()));
//! let app: axum::Router = axum::Router::new()
//!     .route("/whoami", axum::routing::get(whoami))
//!     .merge(auth.router())   // the /api/auth/* endpoints
//!     .layer(auth.layer());   // Auth in every request; cross-site POSTs refused
//! # let _ = app; }
//! ```
//!
//! Leptos pages and server functions find the same `Auth` through the layer: call
//! [`get_session`] or `leptos_axum::extract::<SignedInUser>()` in any server function.
//!
//! ## In components
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_auth::{SessionProvider, SessionStatus, use_session};
//!
//! #[component]
//! fn Greeting() -> impl IntoView {
//!     let session = use_session();
//!     move || match session.status() {
//!         SessionStatus::Authenticated => format!(
//!             "Signed in as {}",
//!             session.data().and_then(|s| s.user.email).unwrap_or_default()
//!         ),
//!         _ => "Not signed in".to_owned(),
//!     }
//! }
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     view! {
//!         <SessionProvider refetch_interval=300 sign_in_page="/sign-in">
//!             <Transition fallback=|| ()><Greeting/></Transition>
//!         </SessionProvider>
//!     }
//! }
//! ```
#![warn(missing_docs)]

// ---- both sides ----------------------------------------------------------------------------
mod client;
mod components;
mod error;
mod paths;
mod provider_kind;
mod redirect;
mod server_fns;
mod session;

pub use client::{
    SessionContext, SessionProvider, SessionStatus, SignInOptions, SignInResponse, sign_in,
    sign_out, use_session,
};
pub use components::{ProviderButton, ProviderButtons, RedirectIfSignedIn, RequireSession};
pub use error::{AuthError, AuthFnError};
pub use paths::{AuthPaths, DEFAULT_BASE_PATH};
pub use provider_kind::ProviderKind;
pub use redirect::{is_safe_local_path, local_callback_url};
pub use server_fns::{
    CsrfToken, GetSession, ListProviders, LoadSessionState, ProviderSummary, SessionState, SignIn,
    SignOut, csrf_token, get_session, list_providers, load_session_state,
};
pub use session::{Session, SessionInfo, SessionUser};

// ---- server only (feature `ssr`) -----------------------------------------------------------
#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
mod audit;
#[cfg(feature = "ssr")]
mod callbacks;
#[cfg(feature = "ssr")]
mod clock;
#[cfg(feature = "ssr")]
mod config;
#[cfg(feature = "ssr")]
mod context;
#[cfg(feature = "ssr")]
mod core;
#[cfg(feature = "ssr")]
mod devices;
#[cfg(feature = "ssr")]
mod email;
#[cfg(feature = "ssr")]
mod extract;
#[cfg(feature = "ssr")]
mod html;
#[cfg(feature = "ssr")]
mod keys;
#[cfg(feature = "ssr")]
mod layer;
#[cfg(feature = "ssr")]
mod limits;
#[cfg(feature = "ssr")]
mod mail;
#[cfg(feature = "ssr")]
mod oauth;
#[cfg(feature = "ssr")]
mod ownership;
#[cfg(feature = "ssr")]
mod pages;
#[cfg(feature = "ssr")]
mod passwords;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
mod register;
#[cfg(feature = "ssr")]
mod secret;
#[cfg(feature = "ssr")]
mod session_lifecycle;
#[cfg(feature = "ssr")]
mod sign_in;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
mod validation;

#[cfg(feature = "ssr")]
pub use self::{
    audit::AuditEvent,
    callbacks::{Callbacks, DefaultCallbacks, Events, JwtParams, JwtTrigger, NoEvents},
    config::{AuthConfig, Pages, SessionOptions, SessionStrategy},
    core::Auth,
    devices::{RevokeSessions, Revoked},
    error::AuthConfigError,
    extract::SignedInUser,
    keys::MIN_SECRET_LEN,
    layer::{AuthLayer, AuthService},
    limits::{
        ClientIp, InvalidProxy, LimitedAction, Lockout, MailLimit, RateLimits, TooManyAttempts,
        TrustedProxies,
    },
    mail::{LogMailer, Mail, MailError, Mailer, SmtpMailer},
    oauth::ProviderTokenError,
    passwords::PasswordChangeError,
    providers::{Credentials, EmailLink, OAuth, Provider},
    redirect::default_redirect,
    register::RegisterError,
    secret::{AccessToken, ClientSecret, RefreshToken},
    server_fns::append_set_cookies,
    session::jwt::Token,
    store::{AuditRecord, MemoryStore, Store, StoreError, User},
    validation::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, is_valid_email},
};
/// Re-exported so apps implement [`Callbacks`], [`Events`], the store traits and
/// [`providers::Authorize`] without adding the crate themselves.
#[cfg(feature = "ssr")]
pub use async_trait::async_trait;
#[cfg(feature = "postgres")]
pub use store::PostgresStore;
#[cfg(feature = "sqlite")]
pub use store::SqliteStore;
