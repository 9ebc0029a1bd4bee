//! Server entry point: configuration, store, router, command-line dispatch — nothing else.

#[cfg(feature = "ssr")]
mod entry {
    use std::process::ExitCode;

    use leptos_auth_demo::server::{
        self, SiteConfig,
        cli::{self, Command},
    };
    use rust_embed::RustEmbed;

    /// The built site (`cargo leptos build --release` writes it before compiling the server),
    /// embedded so the release binary is self-contained. Debug builds read it from disk.
    #[derive(RustEmbed)]
    #[folder = "target/site"]
    #[allow_missing = true]
    struct SiteAssets;

    pub async fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let command = match cli::parse(&args) {
            Ok(command) => command,
            Err(cli::NotRun::Print(text)) => {
                print!("{text}");
                return ExitCode::SUCCESS;
            }
            Err(cli::NotRun::Usage(text)) => {
                eprint!("{text}");
                if !text.ends_with('\n') {
                    eprintln!();
                }
                return ExitCode::from(2);
            }
        };

        server::telemetry::init();
        let config = match SiteConfig::load() {
            Ok(config) => config,
            Err(e) => return fail(e),
        };
        let purpose = match command {
            Command::Serve => server::Purpose::Serve,
            _ => server::Purpose::Admin,
        };
        let auth = match server::build_auth(&config, purpose).await {
            Ok(auth) => auth,
            Err(e) => return fail(e),
        };
        match command {
            Command::Serve => serve(config, auth).await,
            admin => cli::run(admin, &auth).await,
        }
    }

    /// One line on standard error and a failure exit code.
    fn fail(error: impl std::fmt::Display) -> ExitCode {
        eprintln!("error: {error}");
        ExitCode::FAILURE
    }

    async fn serve(config: SiteConfig, auth: leptos_auth::Auth) -> ExitCode {
        let app = server::router(&config, SiteAssets::get, auth);
        let listener = match tokio::net::TcpListener::bind(config.addr).await {
            Ok(listener) => listener,
            Err(e) => return fail(format!("cannot listen on {}: {e}", config.addr)),
        };
        tracing::info!("listening on http://{}", config.addr);
        server::serve::serve(listener, app, config.limits, shutdown_signal()).await;
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
