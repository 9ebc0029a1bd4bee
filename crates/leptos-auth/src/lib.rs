#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
// docs.rs builds with `--cfg docsrs` on nightly: items show the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The root holds what an app uses every day; everything else lives in the module named
// after what it is (see "The public surface" in the crate README).

// ---- both sides ----------------------------------------------------------------------------
pub mod client;
mod error;
pub mod paths;
mod provider_kind;
pub mod redirect;
pub mod server_fns;
pub mod session;

pub use client::{RedirectIfSignedIn, RequireSession, SessionProvider, use_session};
pub use error::{AuthError, AuthFnError};
pub use session::Session;

// ---- server only (feature `ssr`) -----------------------------------------------------------
#[cfg(feature = "ssr")]
mod actions;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod callbacks;
#[cfg(feature = "ssr")]
mod clock;
mod component_texts;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
mod context;
#[cfg(feature = "ssr")]
mod core;
#[cfg(feature = "ssr")]
pub mod devices;
#[cfg(feature = "ssr")]
mod email;
#[cfg(feature = "ssr")]
mod extract;
mod html;
#[cfg(feature = "ssr")]
pub mod i18n;
#[cfg(feature = "ssr")]
mod keys;
#[cfg(feature = "ssr")]
pub mod layer;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod oauth;
#[cfg(feature = "ssr")]
mod ownership;
#[cfg(feature = "ssr")]
mod pages;
#[cfg(feature = "ssr")]
pub mod passkeys;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
mod provider_client;
#[cfg(feature = "ssr")]
pub mod providers;
#[cfg(feature = "ssr")]
pub mod register;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
mod session_lifecycle;
#[cfg(feature = "ssr")]
mod sign_in;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod theme;
#[cfg(feature = "ssr")]
pub mod two_factor;
#[cfg(feature = "ssr")]
pub mod validation;

#[cfg(feature = "ssr")]
pub use self::{config::AuthConfig, core::Auth, extract::SignedInUser, limits::ClientIp};
/// Re-exported so apps implement [`callbacks::Callbacks`], [`callbacks::Events`], the store
/// traits and [`providers::Authorize`] without adding the crate themselves.
#[cfg(feature = "ssr")]
pub use async_trait::async_trait;
