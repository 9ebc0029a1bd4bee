//! leptos-auth: Auth.js rebuilt for Leptos.
//!
//! * [`auth`] is the reusable authentication layer (the "next-auth" of this project).
//! * [`app`] is the demo application that uses it.
//! * `server` (feature `ssr`) wires both into an axum server.

pub mod app;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: attaches the client to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
