//! Logging through `tracing`, readable by default and tuned with `RUST_LOG`.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global log subscriber. `RUST_LOG` overrides the default filter
/// (`info` for the library, the demo and the HTTP layer, `warn` for everything else).
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,leptos_auth=info,leptos_auth_demo=info,tower_http=info")
    });
    // A second call (tests start several servers) keeps the first subscriber.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
