//! Provider access tokens for server-side API calls, refreshed when they expire. Refreshes
//! are single-flight per account: with a provider that rotates refresh tokens, two
//! concurrent refreshes would spend the same refresh token twice and revoke the grant.

use std::{error::Error, sync::Arc};

use oauth2::TokenResponse;
use serde_json::Value;

use super::account_tokens;
use crate::provider_client::oidc;
use crate::{
    Auth, AuthFnError,
    clock::now_secs,
    providers::{OAuth, Provider},
    secret::AccessToken,
    store::{Account, AccountTokens},
};

/// A token this close to its expiry is refreshed before use, so it does not expire in flight.
const EXPIRY_MARGIN_SECS: i64 = 1;

/// Why no provider access token could be had.
#[derive(Debug, thiserror::Error)]
pub enum ProviderTokenError {
    /// The user has no account at this provider (or the provider is not configured).
    #[error("no account linked at this provider")]
    NotLinked,
    /// The token expired and refreshing it failed: the user must sign in with the provider
    /// again (the session shows `error: "RefreshTokenError"`).
    #[error("RefreshTokenError")]
    RefreshFailed(#[source] Box<dyn Error + Send + Sync>),
    /// The store or the provider's API failed.
    #[error("provider unavailable")]
    Unavailable(#[source] Box<dyn Error + Send + Sync>),
}

impl From<ProviderTokenError> for AuthFnError {
    /// The typed error for the browser; the cause goes to the log here.
    fn from(error: ProviderTokenError) -> Self {
        match error {
            ProviderTokenError::NotLinked => AuthFnError::NotLinked,
            ProviderTokenError::RefreshFailed(cause) => {
                tracing::warn!(cause = %cause, "provider token refresh failed");
                AuthFnError::RefreshTokenError
            }
            ProviderTokenError::Unavailable(cause) => {
                tracing::warn!(cause = %cause, "provider unavailable");
                AuthFnError::Unavailable
            }
        }
    }
}

fn is_fresh(tokens: &AccountTokens) -> bool {
    tokens.access_token.is_some()
        && tokens
            .expires_at
            .is_none_or(|expires_at| expires_at > now_secs() + EXPIRY_MARGIN_SECS)
}

impl Auth {
    fn oauth_provider(&self, provider_id: &str) -> Option<&OAuth> {
        match self.provider(provider_id)? {
            Provider::OAuth(provider) => Some(provider),
            Provider::Credentials(_) | Provider::Email(_) | Provider::Passkey(_) => None,
        }
    }

    async fn account_of(
        &self,
        user_id: &str,
        provider_id: &str,
    ) -> Result<Account, ProviderTokenError> {
        self.store()
            .accounts_of_user(user_id)
            .await
            .map_err(|e| ProviderTokenError::Unavailable(e.into()))?
            .into_iter()
            .find(|a| a.provider == provider_id)
            .ok_or(ProviderTokenError::NotLinked)
    }

    /// A valid access token for the user's account at `provider_id`, refreshed (once, however
    /// many requests ask at the same moment) when it has expired. The token stays on the
    /// server: use it for server-side API calls only.
    pub async fn provider_access_token(
        &self,
        user_id: &str,
        provider_id: &str,
    ) -> Result<AccessToken, ProviderTokenError> {
        let account = self.account_of(user_id, provider_id).await?;
        if is_fresh(&account.tokens)
            && let Some(token) = account.tokens.access_token
        {
            return Ok(token);
        }
        let lock = {
            let mut locks = self
                .provider_client()
                .refresh_locks
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            // Only accounts being refreshed keep an entry: the map stays as small as the
            // number of refreshes in flight.
            locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            Arc::clone(locks.entry(account.id.clone()).or_default())
        };
        let _refreshing = lock.lock().await;
        // Whoever held the lock before us may have refreshed already.
        let account = self.account_of(user_id, provider_id).await?;
        if is_fresh(&account.tokens)
            && let Some(token) = account.tokens.access_token
        {
            return Ok(token);
        }
        self.refresh_account(&account).await
    }

    async fn refresh_account(&self, account: &Account) -> Result<AccessToken, ProviderTokenError> {
        let provider = self
            .oauth_provider(&account.provider)
            .ok_or(ProviderTokenError::NotLinked)?;
        let refresh_token = account.tokens.refresh_token.clone().ok_or_else(|| {
            ProviderTokenError::RefreshFailed(
                "access token expired and there is no refresh token".into(),
            )
        })?;
        let endpoints = self
            .provider_client()
            .endpoints(provider)
            .await
            .map_err(|e| ProviderTokenError::Unavailable(e.into()))?;
        let client = self
            .oauth_client(provider, &endpoints, None)
            .map_err(|e| ProviderTokenError::Unavailable(e.into()))?;
        let response = client
            .exchange_refresh_token(&oauth2::RefreshToken::new(
                refresh_token.secret().to_owned(),
            ))
            .request_async(&oidc::CappedHttp(self.provider_client().http()))
            .await
            .map_err(|e| {
                ProviderTokenError::RefreshFailed(oidc::TokenRequestError::from(e).into())
            })?;
        let mut tokens = account_tokens(&response);
        // Providers that do not rotate answer without a refresh token: keep the old one.
        if response.refresh_token().is_none() {
            tokens.refresh_token = Some(refresh_token);
        }
        if tokens.scope.is_none() {
            tokens.scope = account.tokens.scope.clone();
        }
        self.store()
            .update_account_tokens(&account.id, &tokens)
            .await
            .map_err(|e| ProviderTokenError::Unavailable(e.into()))?;
        tracing::info!(provider = %provider.id, "refreshed the provider access token");
        tokens.access_token.ok_or_else(|| {
            ProviderTokenError::RefreshFailed("the token response had no access token".into())
        })
    }

    /// Calls the provider's API as the user: `GET <api_url><path>` with their access token
    /// (refreshed when needed). The server-side API proxy pattern: the browser never sees
    /// the token.
    pub async fn provider_api_get(
        &self,
        user_id: &str,
        provider_id: &str,
        path: &str,
    ) -> Result<Value, ProviderTokenError> {
        // Only a path: the token must never travel to another host than the provider's API.
        if !crate::redirect::is_safe_local_path(path) {
            return Err(ProviderTokenError::Unavailable(
                "an API path must start with a single /".into(),
            ));
        }
        let provider = self
            .oauth_provider(provider_id)
            .ok_or(ProviderTokenError::NotLinked)?;
        let api_url = provider
            .api_url()
            .ok_or_else(|| ProviderTokenError::Unavailable("the provider has no API URL".into()))?;
        let access_token = self.provider_access_token(user_id, provider_id).await?;
        self.provider_client()
            .bearer_get(&format!("{api_url}{path}"), access_token.secret())
            .await
            .map_err(|e| ProviderTokenError::Unavailable(e.into()))
    }
}
