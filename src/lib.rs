//! The leptos-auth demo: an app that uses the `leptos_auth` library like any other would.
//!
//! * [`app`] is the Leptos application (both sides).
//! * `server` (feature `ssr`) wires it into an axum server: configuration, embedded assets,
//!   the admin CLI.

pub mod app;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: attaches the client to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
