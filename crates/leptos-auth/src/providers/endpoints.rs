//! What the server learns about OAuth providers while it runs: their endpoints (configured, or
//! from the discovery document) and signing keys, the HTTP client that reaches them, and one
//! token refresh at a time per account.

use std::{collections::HashMap, sync::Arc, time::Duration};

use jsonwebtoken::jwk::JwkSet;

/// A provider's endpoints, from its configuration or its discovery document.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    pub authorization: String,
    pub token: String,
    pub userinfo: Option<String>,
    pub oidc: Option<OidcKeys>,
}

#[derive(Debug, Clone)]
pub(crate) struct OidcKeys {
    pub issuer: String,
    pub jwks_uri: String,
    pub jwks: JwkSet,
}

/// What the OAuth machinery keeps between requests.
pub(crate) struct OAuthState {
    pub http: reqwest::Client,
    pub endpoints: std::sync::Mutex<HashMap<String, Endpoints>>,
    pub refresh_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl OAuthState {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            // Never follow a redirect from a token or userinfo endpoint (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("leptos-auth/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("HTTP client");
        OAuthState {
            http,
            endpoints: Default::default(),
            refresh_locks: Default::default(),
        }
    }
}
