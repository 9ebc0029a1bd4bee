//! The library's integration tests, one module per concern, in one test binary: each
//! `tests/*.rs` is a binary of its own that links the whole dependency tree, so thirteen of
//! them cost thirteen links and ran one after another; here their tests run side by side.
//! `flood.rs` and `timing.rs` stay binaries of their own: one fills the process's hashing
//! queue, the other measures and must not share the cores.
//!
//! One module, for example:
//! `cargo test -p leptos-auth --features sqlite,postgres --test suite layers::`.

#[path = "../common/mod.rs"]
mod common;

mod abuse;
mod api;
mod audit;
mod email;
mod hostile;
mod layers;
mod look;
mod outage;
mod passkeys;
mod sessions;
mod sign_up;
mod store;
mod two_factor;
