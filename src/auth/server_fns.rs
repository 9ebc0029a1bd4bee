//! Server functions of the auth layer, callable from components on both sides.
//!
//! They need an [`Auth`](crate::auth::Auth) in the Leptos context (the server provides it
//! with `leptos_routes_with_context`).

use leptos::prelude::*;

use serde::{Deserialize, Serialize};

use super::Session;

/// A configured provider, as sign-in pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSummary {
    /// Provider id (`github`).
    pub id: String,
    /// Display name (`GitHub`).
    pub name: String,
    /// `credentials`, `oauth`, `oidc` or `email`.
    pub kind: String,
}

/// Every configured provider, in configuration order (what `getProviders()` lists).
#[server(prefix = "/api/leptos-auth", endpoint = "providers")]
pub async fn list_providers() -> Result<Vec<ProviderSummary>, ServerFnError> {
    let auth = auth()?;
    Ok(auth
        .config()
        .providers()
        .iter()
        .map(|p| ProviderSummary {
            id: p.id().into(),
            name: p.name().into(),
            kind: p.kind().into(),
        })
        .collect())
}

/// The current session, or `None` when signed out: `getServerSession` for Leptos. Usable
/// during SSR and from any other server function.
#[server(prefix = "/api/leptos-auth", endpoint = "get_session")]
pub async fn get_session() -> Result<Option<Session>, ServerFnError> {
    let auth = auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    Ok(auth.session(&headers).await)
}

/// What a page needs at first paint: the session and a CSRF token for plain forms (sets the
/// CSRF cookie when the request had none). One request for both keeps the client small.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    /// The session, `None` when signed out.
    pub session: Option<Session>,
    /// The CSRF token for forms posting to `/api/auth/*`.
    pub csrf_token: String,
    /// The configured providers (sign-in pages list them).
    pub providers: Vec<ProviderSummary>,
}

/// [`get_session`], [`csrf_token`] and [`list_providers`] in one call, for [`crate::auth::SessionProvider`].
#[server(prefix = "/api/leptos-auth", endpoint = "load_session_state")]
pub async fn load_session_state() -> Result<SessionState, ServerFnError> {
    Ok(SessionState {
        session: get_session().await?,
        csrf_token: csrf_token().await?,
        providers: list_providers().await?,
    })
}

/// A CSRF token for forms that post to `/api/auth/*` without JavaScript; sets the CSRF
/// cookie on the response when the request had none.
#[server(prefix = "/api/leptos-auth", endpoint = "csrf_token")]
pub async fn csrf_token() -> Result<String, ServerFnError> {
    let auth = auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let (token, cookie) = auth.csrf_token_for(&headers);
    if let Some(cookie) = cookie {
        append_set_cookies([cookie]);
    }
    Ok(token)
}

/// Signs in with a credentials provider (`provider` is its id, `fields` the form fields);
/// sets the session cookie and answers the URL to go to. A failure is the error code, e.g.
/// `CredentialsSignin`.
#[server(prefix = "/api/leptos-auth", endpoint = "sign_in")]
pub async fn sign_in(
    provider: String,
    fields: std::collections::HashMap<String, String>,
    callback_url: Option<String>,
) -> Result<String, ServerFnError> {
    let auth = auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    match auth
        .sign_in_with_credentials(&headers, &provider, &fields, callback_url.as_deref())
        .await
    {
        Ok((cookies, url)) => {
            append_set_cookies(cookies);
            Ok(url)
        }
        Err(error) => Err(ServerFnError::ServerError(error.code().into())),
    }
}

/// Ends the session of the calling browser.
#[server(prefix = "/api/leptos-auth", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    let auth = auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    append_set_cookies(auth.clear_session(&headers));
    Ok(())
}

#[cfg(feature = "ssr")]
fn auth() -> Result<crate::auth::Auth, ServerFnError> {
    use_context::<crate::auth::Auth>()
        .ok_or_else(|| ServerFnError::new("the auth layer is not in the Leptos context"))
}

/// Adds `Set-Cookie` headers to the response of the current server function or page.
#[cfg(feature = "ssr")]
pub fn append_set_cookies(cookies: impl IntoIterator<Item = String>) {
    let response = expect_context::<leptos_axum::ResponseOptions>();
    for cookie in cookies {
        if let Ok(value) = http::HeaderValue::from_str(&cookie) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}
