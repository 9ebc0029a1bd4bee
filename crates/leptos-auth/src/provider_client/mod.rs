//! How the server talks to OAuth providers (docs/architecture.md › Layers, a subsystem): the
//! HTTP client (no redirects followed, a timeout, responses size-capped), each provider's
//! endpoints (configured, or from its discovery document, cached) and signing keys, OpenID
//! Connect ID token verification, and one token refresh at a time per account. The sign-in
//! flows built on it are in `oauth/`.

pub(crate) mod oidc;

use std::{collections::HashMap, sync::Arc, time::Duration};

use jsonwebtoken::jwk::JwkSet;

use crate::providers::{OAuth, OAuthKind};
pub(crate) use oidc::ProviderError;

/// A provider's endpoints, from its configuration or its discovery document.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    pub authorization: String,
    pub token: String,
    pub userinfo: Option<String>,
    pub oidc: Option<OidcKeys>,
}

/// An OpenID provider's issuer and the keys its ID tokens are signed with.
#[derive(Debug, Clone)]
pub(crate) struct OidcKeys {
    pub issuer: String,
    pub jwks_uri: String,
    pub jwks: JwkSet,
}

/// How the server reaches OAuth providers, and what it learns about them while it runs.
pub(crate) struct ProviderClient {
    http: reqwest::Client,
    endpoints: std::sync::Mutex<HashMap<String, Endpoints>>,
    /// One refresh of an account's provider tokens at a time (refresh tokens may be single
    /// use): the lock of each account being refreshed.
    pub refresh_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl ProviderClient {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            // Never follow a redirect from a token or userinfo endpoint (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("leptos-auth/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("HTTP client");
        ProviderClient {
            http,
            endpoints: Default::default(),
            refresh_locks: Default::default(),
        }
    }

    /// The HTTP client for providers: no redirects followed (SSRF), a timeout, our user agent.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The provider's endpoints; OIDC discovery runs once and is cached.
    pub(crate) async fn endpoints(&self, provider: &OAuth) -> Result<Endpoints, ProviderError> {
        match provider.kind {
            OAuthKind::OAuth2 => Ok(Endpoints {
                authorization: provider
                    .authorization_url
                    .clone()
                    .ok_or(ProviderError::NotConfigured("authorization URL"))?,
                token: provider
                    .token_url
                    .clone()
                    .ok_or(ProviderError::NotConfigured("token URL"))?,
                userinfo: provider.userinfo_url.clone(),
                oidc: None,
            }),
            OAuthKind::Oidc => {
                // The lock is never held across a request to the provider: a slow provider
                // must not hold up sign-ins with the others (a rare duplicate fetch is fine).
                if let Some(endpoints) = self.cached_endpoints(&provider.id) {
                    return Ok(endpoints);
                }
                let issuer = provider
                    .issuer
                    .as_deref()
                    .ok_or(ProviderError::NotConfigured("issuer"))?;
                let discovery = oidc::discover(self.http(), issuer).await?;
                let jwks = oidc::fetch_jwks(self.http(), &discovery.jwks_uri).await?;
                let endpoints = Endpoints {
                    authorization: provider
                        .authorization_url
                        .clone()
                        .unwrap_or(discovery.authorization_endpoint),
                    token: provider
                        .token_url
                        .clone()
                        .unwrap_or(discovery.token_endpoint),
                    userinfo: provider
                        .userinfo_url
                        .clone()
                        .or(discovery.userinfo_endpoint),
                    oidc: Some(OidcKeys {
                        issuer: discovery.issuer,
                        jwks_uri: discovery.jwks_uri,
                        jwks,
                    }),
                };
                self.cache_endpoints(&provider.id, &endpoints);
                Ok(endpoints)
            }
        }
    }

    fn cached_endpoints(&self, provider_id: &str) -> Option<Endpoints> {
        let cache = self.endpoints.lock();
        cache
            .unwrap_or_else(|e| e.into_inner())
            .get(provider_id)
            .cloned()
    }

    fn cache_endpoints(&self, provider_id: &str, endpoints: &Endpoints) {
        let cache = self.endpoints.lock();
        cache
            .unwrap_or_else(|e| e.into_inner())
            .insert(provider_id.to_owned(), endpoints.clone());
    }

    /// Fetches the JWKS again (the provider rotated its keys).
    pub(crate) async fn refresh_jwks(&self, provider: &OAuth) -> Result<Endpoints, ProviderError> {
        let mut endpoints = self
            .cached_endpoints(&provider.id)
            .ok_or(ProviderError::NotConfigured("discovery document"))?;
        if let Some(keys) = endpoints.oidc.as_mut() {
            keys.jwks = oidc::fetch_jwks(self.http(), &keys.jwks_uri).await?;
        }
        self.cache_endpoints(&provider.id, &endpoints);
        Ok(endpoints)
    }

    /// `GET url` with the access token, read as JSON (size-capped).
    pub(crate) async fn bearer_get<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        access_token: &str,
    ) -> Result<T, ProviderError> {
        oidc::get_json(self.http().get(url).bearer_auth(access_token), url).await
    }
}
