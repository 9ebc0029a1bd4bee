//! Server functions of the auth layer, callable from components on both sides. On the
//! server they find [`Auth`](crate::Auth) in the request, put there by
//! [`Auth::layer`](crate::Auth::layer).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{AuthFnError, Session, provider_kind::ProviderKind};

/// A configured provider, as sign-in pages list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSummary {
    /// Provider id (`github`).
    pub id: String,
    /// Display name (`GitHub`).
    pub name: String,
    /// What kind of provider it is.
    pub kind: ProviderKind,
}

/// Every configured provider, in configuration order (what `getProviders()` lists).
#[server(prefix = "/api/leptos-auth", endpoint = "providers")]
pub async fn list_providers() -> Result<Vec<ProviderSummary>, AuthFnError> {
    let auth = ssr::auth()?;
    Ok(auth
        .config()
        .providers()
        .iter()
        .map(|p| ProviderSummary {
            id: p.id().into(),
            name: p.name().into(),
            kind: p.kind(),
        })
        .collect())
}

/// The current session, or `None` when signed out: `getServerSession` for Leptos. Usable
/// during SSR and from any other server function.
#[server(prefix = "/api/leptos-auth", endpoint = "get_session")]
pub async fn get_session() -> Result<Option<Session>, AuthFnError> {
    let auth = ssr::auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    Ok(auth.session(&headers).await)
}

/// What a page needs at first paint, in one request (it keeps the client small): the
/// session, a CSRF token for plain forms (the CSRF cookie is set when the request had
/// none), the providers, and where the endpoints are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionState {
    /// The session, `None` when signed out.
    pub session: Option<Session>,
    /// The CSRF token for forms posting to the auth endpoints.
    pub csrf_token: String,
    /// The configured providers (sign-in pages list them).
    pub providers: Vec<ProviderSummary>,
    /// The base path of the auth endpoints (`/api/auth`).
    pub base_path: String,
    /// The site's origin (`https://app.example.com`), for deciding which callback URLs are
    /// local.
    pub site_origin: String,
    /// What the library's components say, in the visitor's language.
    pub texts: crate::component_texts::ComponentTexts,
}

/// [`get_session`], [`csrf_token`] and [`list_providers`] in one call, for
/// [`crate::SessionProvider`].
#[server(prefix = "/api/leptos-auth", endpoint = "load_session_state")]
pub async fn load_session_state() -> Result<SessionState, AuthFnError> {
    let auth = ssr::auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let site_origin = auth
        .site_url(&headers)
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    Ok(SessionState {
        session: get_session().await?,
        csrf_token: csrf_token().await?,
        providers: list_providers().await?,
        base_path: auth.paths().base_path().to_owned(),
        site_origin,
        texts: crate::component_texts::ComponentTexts::in_language(
            &auth.config().languages.for_request(&headers),
        ),
    })
}

/// A CSRF token for forms that post to the auth endpoints without JavaScript; sets the CSRF
/// cookie on the response when the request had none.
#[server(prefix = "/api/leptos-auth", endpoint = "csrf_token")]
pub async fn csrf_token() -> Result<String, AuthFnError> {
    let auth = ssr::auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    let (token, cookie) = auth.csrf_token_for(&headers);
    if let Some(cookie) = cookie {
        ssr::append_set_cookies([cookie]);
    }
    Ok(token)
}

/// Signs in with a credentials provider (`provider` is its id, `fields` the form fields);
/// sets the session cookie and answers the URL to go to. Failures are typed, e.g.
/// `AuthFnError::Auth(AuthError::CredentialsSignin)`; `AuthError::TwoFactorRequired` means
/// the password was right and the account asks for a second factor: go to the two-factor
/// page (`AuthPaths::two_factor`, or your `pages.two_factor`), whose cookie is set.
#[server(prefix = "/api/leptos-auth", endpoint = "sign_in")]
pub async fn sign_in(
    /// The id of a credentials provider.
    provider: String,
    /// The form fields for its `authorize`, e.g. `email` and `password`.
    fields: std::collections::HashMap<String, String>,
    /// Where to go after signing in (kept only when the redirect rule allows it).
    callback_url: Option<String>,
) -> Result<String, AuthFnError> {
    let auth = ssr::auth()?;
    let parts = use_context::<http::request::Parts>()
        .ok_or(AuthFnError::Auth(crate::AuthError::Configuration))?;
    let signed_in = auth
        .sign_in_with_credentials(&parts, &provider, &fields, callback_url.as_deref())
        .await
        .map_err(AuthFnError::respond)?;
    ssr::append_set_cookies(signed_in.cookies);
    if signed_in.second_factor_pending {
        // The pending state's cookie is set: the browser goes on to the two-factor page.
        return Err(AuthFnError::Auth(crate::AuthError::TwoFactorRequired));
    }
    Ok(signed_in.url)
}

/// Creates a password account (the rules, limits and mails of `POST /api/auth/signup`,
/// README › Sign-up) and answers the URL to go to: signed in, the `callback_url` (or
/// `pages.new_user`), with the session cookie set; where the address must be verified
/// first, the "check your email" page. Failures are typed, e.g.
/// `AuthFnError::Auth(AuthError::WeakPassword)`.
#[server(prefix = "/api/leptos-auth", endpoint = "sign_up")]
pub async fn sign_up(
    /// The new account's address.
    email: String,
    /// Its password.
    password: String,
    /// The name to show (optional).
    name: Option<String>,
    /// Where to go after signing up (kept only when the redirect rule allows it).
    callback_url: Option<String>,
) -> Result<String, AuthFnError> {
    let auth = ssr::auth()?;
    let parts = use_context::<http::request::Parts>()
        .ok_or(AuthFnError::Auth(crate::AuthError::Configuration))?;
    let fields = crate::register::SignUpFields {
        email: &email,
        name: name.as_deref(),
        password: &password,
    };
    let (url, cookies) = auth
        .sign_up_with(&parts, fields, callback_url.as_deref())
        .await
        .map_err(AuthFnError::respond)?;
    ssr::append_set_cookies(cookies);
    Ok(url)
}

/// Ends the session of the calling browser.
#[server(prefix = "/api/leptos-auth", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AuthFnError> {
    let auth = ssr::auth()?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    ssr::append_set_cookies(auth.clear_session(&headers).await);
    Ok(())
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use leptos::prelude::*;

    use crate::{Auth, AuthError, AuthFnError};

    /// The auth layer of the current request: put in by [`Auth::layer`], or provided as
    /// Leptos context by the app.
    pub fn auth() -> Result<Auth, AuthFnError> {
        if let Some(auth) = use_context::<Auth>() {
            return Ok(auth);
        }
        let parts = use_context::<http::request::Parts>()
            .ok_or(AuthFnError::Auth(AuthError::Configuration))?;
        Ok(crate::extract::auth_of(&parts)?)
    }

    /// Adds `Set-Cookie` headers to the response of the current server function or page.
    pub fn append_set_cookies(cookies: impl IntoIterator<Item = String>) {
        let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        for cookie in cookies {
            if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                response.append_header(http::header::SET_COOKIE, value);
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::append_set_cookies;
