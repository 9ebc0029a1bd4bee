//! `GET|POST /callback/:provider`: where a sign-in completes.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, request::Parts},
};

use super::{reply::Reply, request::ActionPost};
use crate::{
    Auth, AuthError,
    audit::AuditEvent,
    context::RequestContext,
    error::{Failure, for_log},
    limits::TooManyAttempts,
    providers::{Credentials, Provider},
};

/// OAuth providers come back here with `?code=&state=` (or `?error=`).
pub(super) async fn get(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    request: Parts,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    // With the client's address: the session row and the audit log record it.
    let ctx = auth.context_of(&request);
    if let Some(Provider::Email(email)) = auth.provider(&provider) {
        return super::magic_link::confirm_sign_in_page(&auth, &ctx, email, &query);
    }
    oauth_callback(&auth, &ctx, &provider, &query).await
}

async fn oauth_callback(
    auth: &Auth,
    ctx: &RequestContext,
    provider_id: &str,
    query: &HashMap<String, String>,
) -> Reply {
    let callback_url = stored_callback_url(auth, ctx);
    let outcome = match auth.provider(provider_id) {
        Some(Provider::OAuth(provider)) => {
            auth.oauth_callback(ctx, provider, query, callback_url.as_deref())
                .await
        }
        _ => Err(Failure::new(
            AuthError::OAuthCallback,
            "callback for a provider that has no redirect flow",
        )),
    };
    match outcome {
        Ok(signed_in) => Reply::redirect(signed_in.url).with_cookies(signed_in.cookies),
        Err(failure) => {
            let code = failure.log(provider_id);
            auth.audit(ctx, None, AuditEvent::SignInFailed, Some(provider_id))
                .await;
            auth.error_reply(
                ctx,
                false,
                code,
                StatusCode::FOUND,
                &[("callbackUrl", callback_url.as_deref())],
            )
            .with_cookies(auth.expire_check_cookies(ctx))
        }
    }
}

pub(super) async fn post(
    State(auth): State<Auth>,
    Path(provider): Path<String>,
    req: ActionPost,
) -> Result<Reply, Reply> {
    // `response_mode=form_post` providers post the callback; `state` protects it, not CSRF.
    if let Some(Provider::OAuth(_)) = auth.provider(&provider) {
        let query = req.body.text_fields();
        return Ok(oauth_callback(&auth, &req.ctx, &provider, &query).await);
    }
    req.require_csrf()?;
    match auth.provider(&provider) {
        Some(Provider::Credentials(credentials)) => {
            credentials_sign_in(&auth, &req, credentials).await
        }
        Some(Provider::Email(email)) => {
            super::magic_link::sign_in_with_link(&auth, &req, email).await
        }
        Some(Provider::Passkey(_)) => super::passkey::callback(&auth, &req).await,
        _ => {
            tracing::warn!(provider = %for_log(&provider), "callback for an unknown provider");
            Err(auth.error_reply(
                &req.ctx,
                req.json_mode,
                AuthError::Configuration,
                StatusCode::BAD_REQUEST,
                &[],
            ))
        }
    }
}

async fn credentials_sign_in(
    auth: &Auth,
    req: &ActionPost,
    credentials: &Credentials,
) -> Result<Reply, Reply> {
    let callback_url = req
        .callback_url()
        .or_else(|| stored_callback_url(auth, &req.ctx));
    let signed_in = auth
        .credentials_sign_in(
            &req.ctx,
            req.client_ip,
            credentials,
            &req.body.credentials(),
            callback_url.as_deref(),
        )
        .await
        .map_err(|failure| {
            let code = failure.log(&credentials.id);
            let status = code.http_status();
            let retry_after = failure.retry_after.map(|d| d.as_secs().to_string());
            if code == AuthError::RateLimited {
                // Not about this account: answered as the request it is, not as a sign-in.
                let retry_after = failure.retry_after.unwrap_or_default();
                return auth.rate_limited_reply(
                    &req.ctx,
                    req.json_mode,
                    TooManyAttempts { code, retry_after },
                );
            }
            auth.error_reply(
                &req.ctx,
                req.json_mode,
                code,
                status,
                &[
                    ("provider", Some(&credentials.id)),
                    ("retryAfter", retry_after.as_deref()),
                    ("callbackUrl", callback_url.as_deref()),
                ],
            )
            .with_retry_after(failure.retry_after)
        })?;
    Ok(Reply::signed_in(req.json_mode, signed_in))
}

/// The `callbackUrl` remembered by the sign-in page's cookie, when still allowed.
fn stored_callback_url(auth: &Auth, ctx: &RequestContext) -> Option<String> {
    let url = ctx.cookies.get(&ctx.jar.callback_url())?;
    auth.allowed_callback_url(ctx, Some(url))
}
