//! The authentication layer: Auth.js (NextAuth.js) for Leptos.
//!
//! This module is a library. It never imports from the demo app, so a second Leptos app can
//! use it by providing its own configuration. Its public surface is re-exported here.

/// The base path under which the Auth.js REST endpoints are mounted (SPEC §2).
pub const DEFAULT_BASE_PATH: &str = "/api/auth";
