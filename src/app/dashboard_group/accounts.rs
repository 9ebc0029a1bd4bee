//! Linked sign-in methods on the settings page, and the Spotify "Top artists" page: the
//! server-side API proxy (the provider token never reaches the browser).

use leptos::prelude::*;
use leptos_auth::AuthFnError;
#[cfg(feature = "ssr")]
use leptos_auth::{Auth, SignedInUser, server_fns::append_set_cookies};
use serde::{Deserialize, Serialize};

/// A linked OAuth account, as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedAccount {
    pub provider: String,
}

/// The signed-in user's ways to sign in, and what the settings page needs to add one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMethods {
    pub has_password: bool,
    pub accounts: Vec<LinkedAccount>,
    /// OAuth providers not linked yet: (id, name).
    pub linkable: Vec<(String, String)>,
    /// The active sessions and the password form, as an HTML fragment made by the server
    /// (`security.rs`).
    pub security_html: String,
}

/// One artist of `/v1/me/top/artists`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artist {
    pub name: String,
    pub genres: Vec<String>,
    pub popularity: u32,
    pub image: Option<String>,
}

#[cfg(feature = "ssr")]
mod server {
    use leptos_auth::{AuthFnError, store::StoreError};

    /// A store failure: logged here, `Unavailable` for the browser.
    pub fn unavailable(error: StoreError) -> AuthFnError {
        tracing::error!(error = %error, cause = ?std::error::Error::source(&error), "settings");
        AuthFnError::Unavailable.respond()
    }
}

/// How the signed-in user can sign in (password, linked providers), and where they are
/// signed in (one request for the whole settings page).
#[server(prefix = "/api/app", endpoint = "sign_in_methods")]
pub async fn sign_in_methods() -> Result<AccountMethods, AuthFnError> {
    let user: SignedInUser = leptos_axum::extract().await?;
    let auth: Auth = leptos_axum::extract().await?;
    let store = auth.store();
    let has_password = store
        .has_password(&user.user_id)
        .await
        .map_err(server::unavailable)?;
    let accounts: Vec<LinkedAccount> = store
        .accounts_of_user(&user.user_id)
        .await
        .map_err(server::unavailable)?
        .into_iter()
        .map(|a| LinkedAccount {
            provider: a.provider,
        })
        .collect();
    let linkable = auth
        .config()
        .providers()
        .iter()
        .filter(|p| p.kind().redirects() && !accounts.iter().any(|a| a.provider == p.id()))
        .map(|p| (p.id().to_owned(), p.name().to_owned()))
        .collect();
    let parts: http::request::Parts = leptos_axum::extract().await?;
    let query = parts.uri.query().unwrap_or_default();
    let account = store
        .user_by_id(&user.user_id)
        .await
        .map_err(server::unavailable)?
        .ok_or(AuthFnError::Auth(leptos_auth::AuthError::SessionRequired))?;
    let security_html =
        super::security::security_fragment(&auth, &parts.headers, query, &account, has_password)
            .await?;
    Ok(AccountMethods {
        has_password,
        accounts,
        linkable,
        security_html,
    })
}

/// Unlinks a provider, unless it is the last way the user can sign in. Posted by the
/// settings page's plain form, it answers with a redirect back to `/settings` (with
/// `?unlinkError=last-method` when refused), so it works with and without JavaScript.
#[server(prefix = "/api/app", endpoint = "unlink_account")]
pub async fn unlink_account(provider: String) -> Result<(), AuthFnError> {
    let user: SignedInUser = leptos_axum::extract().await?;
    let auth: Auth = leptos_axum::extract().await?;
    let methods = sign_in_methods().await?;
    // Nothing to do (and nothing to record) for a provider the user has not linked: the
    // name is the client's text.
    if !methods.accounts.iter().any(|a| a.provider == provider) {
        leptos_axum::redirect("/settings");
        return Ok(());
    }
    let others = methods
        .accounts
        .iter()
        .filter(|a| a.provider != provider)
        .count();
    if !methods.has_password && others == 0 {
        leptos_axum::redirect("/settings?unlinkError=last-method");
        return Ok(());
    }
    // Unlinking changes how the account signs in: only from a recent sign-in.
    let request: http::request::Parts = leptos_axum::extract().await?;
    if auth.require_fresh_session(&request.headers).await.is_err() {
        leptos_axum::redirect("/settings?error=SessionNotFresh");
        return Ok(());
    }
    auth.store()
        .unlink_account(&user.user_id, &provider)
        .await
        .map_err(server::unavailable)?;
    auth.record_audit_event(
        &request,
        Some(&user.user_id),
        leptos_auth::audit::AuditEvent::UnlinkAccount,
        Some(&provider),
    )
    .await;
    leptos_axum::redirect("/settings");
    Ok(())
}

/// The user's top artists on Spotify, fetched by the server with the stored (and, when
/// expired, refreshed) access token.
#[server(prefix = "/api/app", endpoint = "top_artists")]
pub async fn top_artists(time_range: String, limit: u32) -> Result<Vec<Artist>, AuthFnError> {
    use leptos_auth::oauth::ProviderTokenError;
    use serde_json::Value;

    let user: SignedInUser = leptos_axum::extract().await?;
    let auth: Auth = leptos_axum::extract().await?;
    let time_range = match time_range.as_str() {
        "short_term" | "medium_term" | "long_term" => time_range,
        _ => "medium_term".into(),
    };
    let path = format!(
        "/v1/me/top/artists?time_range={time_range}&limit={}",
        limit.clamp(1, 50)
    );
    let body = match auth.provider_api_get(&user.user_id, "spotify", &path).await {
        Ok(body) => body,
        Err(error) => {
            if let ProviderTokenError::RefreshFailed(_) = error {
                // The session shows the error too, so every page can ask for a new sign-in.
                let headers: http::HeaderMap = leptos_axum::extract().await?;
                append_set_cookies(auth.flag_session_error(&headers, "RefreshTokenError").await);
            }
            return Err(AuthFnError::from(error).respond());
        }
    };
    let artists = body
        .get("items")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| Artist {
                    name: item
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    genres: item
                        .get("genres")
                        .and_then(Value::as_array)
                        .map(|g| {
                            g.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    popularity: item
                        .get("popularity")
                        .and_then(Value::as_u64)
                        .unwrap_or_default() as u32,
                    image: item
                        .get("images")
                        .and_then(|images| images.get(0))
                        .and_then(|image| image.get("url"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(artists)
}
