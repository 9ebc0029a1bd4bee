//! `GET|POST /callback/:provider`: where a sign-in completes.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
};

use super::with_query;
use crate::auth::{
    Auth, AuthError, Provider,
    callbacks::JwtTrigger,
    core::{PostBody, Reply, RequestContext},
    providers::Credentials,
};

/// OAuth providers come back here with `?code=&state=` (or `?error=`).
pub(super) async fn get(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    oauth_callback(&auth, &provider, &headers, &query).await
}

async fn oauth_callback(
    auth: &Auth,
    provider_id: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Reply {
    let ctx = auth.context(headers);
    let callback_url = stored_callback_url(&ctx);
    let outcome = match auth.provider(provider_id) {
        Some(Provider::OAuth(provider)) => {
            auth.oauth_callback(&ctx, provider, query, callback_url.as_deref())
                .await
        }
        _ => {
            tracing::warn!(
                provider_id,
                "OAuth callback for a provider that has no redirect flow"
            );
            Err(AuthError::OAuthCallback)
        }
    };
    match outcome {
        Ok(signed_in) => Reply::redirect(signed_in.url).with_cookies(signed_in.cookies),
        Err(error) => {
            let url = with_query(
                &auth.auth_url(&ctx, "/error"),
                &[
                    ("error", Some(error.code())),
                    ("callbackUrl", callback_url.as_deref()),
                ],
            );
            Reply::redirect(url)
        }
    }
}

pub(super) async fn post(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let ctx = auth.context(&headers);
    let body = PostBody::parse(&headers, &body);
    // `response_mode=form_post` providers post the callback; `state` protects it, not CSRF.
    if let Some(Provider::OAuth(_)) = auth.provider(&provider) {
        let query = body
            .0
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect();
        return oauth_callback(&auth, &provider, &headers, &query).await;
    }
    let json_mode = body.json_mode(&headers);
    if !auth.csrf_valid(&ctx, body.field("csrfToken")) {
        let url = with_query(
            &auth.auth_url(&ctx, "/signin"),
            &[("error", Some("MissingCSRF"))],
        );
        return Reply::outcome(json_mode, url, StatusCode::FORBIDDEN);
    }
    match auth.provider(&provider) {
        Some(Provider::Credentials(credentials)) => {
            credentials_sign_in(&auth, &ctx, credentials, &body, json_mode).await
        }
        _ => {
            tracing::warn!(provider, "callback for an unknown provider");
            let url = with_query(
                &auth.auth_url(&ctx, "/error"),
                &[("error", Some("Configuration"))],
            );
            Reply::outcome(json_mode, url, StatusCode::BAD_REQUEST)
        }
    }
}

async fn credentials_sign_in(
    auth: &Auth,
    ctx: &RequestContext,
    credentials: &Credentials,
    body: &PostBody,
    json_mode: bool,
) -> Reply {
    let callback_url = body
        .field("callbackUrl")
        .map(str::to_owned)
        .or_else(|| stored_callback_url(ctx));
    match auth
        .credentials_sign_in(
            ctx,
            credentials,
            &body.credentials(),
            callback_url.as_deref(),
        )
        .await
    {
        Ok(signed_in) => {
            Reply::outcome(json_mode, signed_in.url, StatusCode::OK).with_cookies(signed_in.cookies)
        }
        Err(error) => {
            let status = match error {
                AuthError::CredentialsSignin => StatusCode::UNAUTHORIZED,
                AuthError::AccessDenied => StatusCode::FORBIDDEN,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let url = with_query(
                &auth.auth_url(ctx, "/error"),
                &[
                    ("error", Some(error.code())),
                    ("provider", Some(&credentials.id)),
                    ("callbackUrl", callback_url.as_deref()),
                ],
            );
            Reply::outcome(json_mode, url, status)
        }
    }
}

/// A completed sign-in: the session cookies and where to go next.
pub(crate) struct SignedIn {
    pub cookies: Vec<String>,
    pub url: String,
}

impl Auth {
    /// Checks credentials with the provider's `authorize`, runs the `sign_in` and `jwt`
    /// callbacks and the `sign_in` event, and returns the new session.
    pub(crate) async fn credentials_sign_in(
        &self,
        ctx: &RequestContext,
        credentials: &Credentials,
        fields: &HashMap<String, String>,
        callback_url: Option<&str>,
    ) -> Result<SignedIn, AuthError> {
        let user = credentials
            .authorize
            .authorize(fields, self.store())
            .await?
            .ok_or(AuthError::CredentialsSignin)?;
        if !self
            .config()
            .callbacks
            .sign_in(&user, &credentials.id)
            .await
        {
            return Err(AuthError::AccessDenied);
        }
        let token = self.new_token(&user);
        let token = self
            .run_jwt_callback(token, JwtTrigger::SignIn, Some(&user), None)
            .await;
        let cookies = self.session_cookies(ctx, &token)?;
        self.config()
            .events
            .sign_in(&user, &credentials.id, false)
            .await;
        let url = self.redirect_target(ctx, callback_url).await;
        Ok(SignedIn { cookies, url })
    }

    /// Credentials sign-in for the `sign_in` server function: the session cookies and the
    /// URL to go to, or the error code.
    pub async fn sign_in_with_credentials(
        &self,
        headers: &HeaderMap,
        provider_id: &str,
        fields: &HashMap<String, String>,
        callback_url: Option<&str>,
    ) -> Result<(Vec<String>, String), AuthError> {
        let ctx = self.context(headers);
        let Some(Provider::Credentials(credentials)) = self.provider(provider_id) else {
            return Err(AuthError::Configuration);
        };
        let signed_in = self
            .credentials_sign_in(&ctx, credentials, fields, callback_url)
            .await?;
        Ok((signed_in.cookies, signed_in.url))
    }
}

/// The `callbackUrl` remembered by the sign-in page's cookie.
fn stored_callback_url(ctx: &RequestContext) -> Option<String> {
    let raw = ctx.cookies.get(&ctx.jar.callback_url())?;
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    Some(decoded.into_owned())
}
