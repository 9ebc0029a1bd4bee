//! A real server on an ephemeral 127.0.0.1 port, for integration tests.
#![allow(dead_code)]

// The shared harness (crates/test-util); not every test file uses all of it.
#[allow(unused_imports)]
pub use leptos_auth_test_util::{Browser, client, location, maildev, set_cookies, temp_dir};
pub mod oidc;

use std::{ops::Deref, path::PathBuf};

use leptos_auth::Auth;
use leptos_auth_demo::server::{self, SiteConfig};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "target/site"]
#[allow_missing = true]
struct SiteAssets;

/// The demo's server, seen through one browser (its cookies), with the app's `Auth` at hand
/// for what a test sets up or checks in the store directly.
pub struct TestServer {
    pub browser: Browser,
    pub auth: Auth,
    pub data_dir: PathBuf,
    /// The test's own database (SQLite in `data_dir`, or a fresh PostgreSQL database).
    pub database_url: String,
}

/// The configuration of a test server: its own folder, and its own database — a fresh
/// database on the PostgreSQL server named by `TEST_DATABASE_URL` when it is set (the test
/// command runs the suite once without and once with it), else SQLite in the folder.
pub async fn test_config(label: &str) -> SiteConfig {
    let data_dir = temp_dir(label);
    let mut config = SiteConfig::for_tests(data_dir);
    if let Some(admin_url) = leptos_auth_test_util::postgres::admin_url() {
        config.database_url =
            leptos_auth_test_util::postgres::fresh_database(&admin_url, "test").await;
    }
    config
}

impl Deref for TestServer {
    type Target = Browser;

    fn deref(&self) -> &Browser {
        &self.browser
    }
}

impl TestServer {
    /// Another browser (its own cookies) on the same server.
    pub fn other_browser(&self) -> TestServer {
        TestServer {
            browser: self.browser.another(),
            auth: self.auth.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        }
    }

    /// Creates a password user directly in the store.
    pub async fn register(&self, email: &str, name: &str, password: &str) {
        self.auth
            .register(email, Some(name), password)
            .await
            .expect("register test user");
    }

    /// Posts the sign-up form of the demo's `/sign-up` page (`POST /api/auth/signup`, the
    /// library's), as a browser without JavaScript does (a 302 either way), or with
    /// `json: true` as a script does.
    pub async fn sign_up_form(&self, fields: &[(&str, &str)], json: bool) -> reqwest::Response {
        let csrf = self.csrf_token().await;
        let mut form = vec![("csrfToken", csrf.as_str()), ("callbackUrl", "/dashboard")];
        form.extend_from_slice(fields);
        if json {
            form.push(("json", "true"));
        }
        self.post_form("/api/auth/signup", &form).await
    }
}

/// Starts the app on 127.0.0.1 with a fresh port and a fresh database; it lives until the
/// test's runtime ends.
pub async fn spawn() -> TestServer {
    spawn_with_limits(server::serve::ServeLimits::default()).await
}

/// [`spawn`] with other server time limits.
pub async fn spawn_with_limits(limits: server::serve::ServeLimits) -> TestServer {
    serve_config(test_config("server").await, limits).await
}

/// A server on an existing database (e.g. one the CLI also uses).
pub async fn spawn_on_database(database_url: &str) -> TestServer {
    let mut config = test_config("server").await;
    config.database_url = database_url.to_owned();
    serve_config(config, server::serve::ServeLimits::default()).await
}

async fn serve_config(config: SiteConfig, limits: server::serve::ServeLimits) -> TestServer {
    let data_dir = config.data_dir.clone();
    let auth = server::build_auth(&config, server::Purpose::Serve)
        .await
        .expect("auth layer");
    let app = server::router(&config, SiteAssets::get, auth.clone());
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve::serve(
        listener,
        app,
        limits,
        std::future::pending(),
    ));
    TestServer {
        browser: Browser::new(format!("http://{addr}")),
        auth,
        data_dir,
        database_url: config.database_url.clone(),
    }
}
