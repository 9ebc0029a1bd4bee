//! The authentication layer: Auth.js (NextAuth.js) for Leptos.
//!
//! This module is a library. It never imports from the demo app, so a second Leptos app can
//! use it by providing its own [`AuthConfig`]. Everything an app needs is re-exported here.
//!
//! * Both sides: [`Session`], [`AuthError`], the client API in [`client`]
//!   ([`use_session`], [`sign_in`], [`sign_out`]) and the server functions
//!   ([`get_session`]).
//! * Server only (feature `ssr`): [`AuthConfig`], [`Auth`] (the running layer and its
//!   `/api/auth/*` router), providers, callbacks and the [`store`].

pub mod client;
mod error;
pub mod server_fns;
mod session;

pub use client::{
    SessionContext, SessionProvider, SessionStatus, SignInOptions, SignInResponse, sign_in,
    sign_out, use_session,
};
pub use error::AuthError;
pub use server_fns::{
    CsrfToken, GetSession, ListProviders, ProviderSummary, csrf_token, get_session, list_providers,
};
pub use session::{Session, SessionUser};

/// The base path under which the Auth.js REST endpoints are mounted (SPEC §2).
pub const DEFAULT_BASE_PATH: &str = "/api/auth";

// ---- server only ---------------------------------------------------------------------------
#[cfg(feature = "ssr")]
pub(crate) mod actions;
#[cfg(feature = "ssr")]
mod callbacks;
#[cfg(feature = "ssr")]
mod config;
#[cfg(feature = "ssr")]
mod core;
#[cfg(feature = "ssr")]
mod keys;
#[cfg(feature = "ssr")]
mod oauth;
#[cfg(feature = "ssr")]
mod pages;
#[cfg(feature = "ssr")]
mod providers;
#[cfg(feature = "ssr")]
mod register;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use self::{
    callbacks::{
        Callbacks, DefaultCallbacks, Events, JwtParams, JwtTrigger, NoEvents, default_redirect,
    },
    config::{AuthConfig, AuthConfigError, MIN_SECRET_LEN, Pages, SessionOptions},
    core::Auth,
    oauth::ProviderTokenError,
    providers::{
        Authorize, ClientAuth, Credentials, OAuth, OAuthKind, Profile, ProfileMapper, Provider,
        github, github_enterprise, github_profile, google, spotify, spotify_profile,
        standard_claims_profile, with_github_emails_url,
    },
    register::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, RegisterError, is_valid_email},
    server_fns::append_set_cookies,
    session::jwt::Token,
};
