//! A real server on an ephemeral 127.0.0.1 port, for integration tests.
#![allow(dead_code)]

use leptos_auth::server::{self, SiteConfig};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "target/site"]
#[allow_missing = true]
struct SiteAssets;

pub struct TestServer {
    pub base_url: String,
    pub client: reqwest::Client,
}

impl TestServer {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("request to the test server")
    }
}

/// Starts the app on 127.0.0.1 with a fresh port; it lives until the test's runtime ends.
pub async fn spawn() -> TestServer {
    let config = SiteConfig::for_tests();
    let app = server::router(&config, SiteAssets::get);
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    TestServer {
        base_url: format!("http://{addr}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    }
}
