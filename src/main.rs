//! Server entry point: configuration, router, command-line dispatch — nothing else.

#[cfg(feature = "ssr")]
mod entry {
    use std::process::ExitCode;

    use leptos_auth::server::{self, SiteConfig};
    use rust_embed::RustEmbed;

    /// The built site (`cargo leptos build --release` writes it before compiling the server),
    /// embedded so the release binary is self-contained. Debug builds read it from disk.
    #[derive(RustEmbed)]
    #[folder = "target/site"]
    #[allow_missing = true]
    struct SiteAssets;

    const USAGE: &str = "\
leptos-auth: Auth.js-compatible sign-in for Leptos

Usage:
  leptos-auth [serve]     start the web server (default)
  leptos-auth --help      show this help

Configuration comes from Leptos.toml (optional) and the environment; see README.md.";

    pub async fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [] | ["serve"] => serve().await,
            ["--help" | "-h" | "help"] => {
                println!("{USAGE}");
                ExitCode::SUCCESS
            }
            _ => {
                eprintln!("unknown command: {}\n\n{USAGE}", args.join(" "));
                ExitCode::from(2)
            }
        }
    }

    async fn serve() -> ExitCode {
        server::telemetry::init();
        let config = match SiteConfig::load() {
            Ok(config) => config,
            Err(e) => {
                tracing::error!("{e}");
                return ExitCode::FAILURE;
            }
        };
        let app = server::router(&config, SiteAssets::get);
        let listener = match tokio::net::TcpListener::bind(config.addr).await {
            Ok(listener) => listener,
            Err(e) => {
                tracing::error!("cannot listen on {}: {e}", config.addr);
                return ExitCode::FAILURE;
            }
        };
        tracing::info!("listening on http://{}", config.addr);
        if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
        {
            tracing::error!("server error: {e}");
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    }

    async fn shutdown_signal() {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("shutting down");
    }
}

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    entry::main().await
}

/// The WASM client starts in `lib.rs` (`hydrate`); this binary is server-only.
#[cfg(not(feature = "ssr"))]
fn main() {}
