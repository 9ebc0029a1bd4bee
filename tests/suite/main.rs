//! The demo's integration tests, one module per concern, in one test binary (one link of
//! the dependency tree instead of one per file, and the modules' tests run side by side).
//!
//! One module: `cargo test -p leptos-auth-demo --features ssr --test suite takeover::`.

#[cfg(feature = "ssr")]
mod common;

mod cli;
mod oauth;
mod pages;
mod readme;
mod server;
mod takeover;
