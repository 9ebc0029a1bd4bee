//! `GET /error?error=<Code>`: the error page, or a detour to the page that can fix it.

use std::collections::HashMap;

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
};

use super::reply::Reply;
use crate::redirect::with_query;
use crate::{Auth, AuthError, pages};

pub(super) async fn get(
    State(auth): State<Auth>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply {
    let ctx = auth.context(&headers);
    let error = AuthError::from_code(query.get("error").map(String::as_str).unwrap_or("Default"));
    if let Some(page) = &auth.config().pages.error {
        return Reply::redirect(with_query(page, &[("error", Some(error.code()))]));
    }
    // Errors a user fixes by signing in again are shown on the sign-in page.
    let sign_in_error = matches!(
        error,
        AuthError::OAuthSignin
            | AuthError::OAuthCallback
            | AuthError::OAuthAccountNotLinked
            | AuthError::EmailSignin
            | AuthError::CredentialsSignin
            | AuthError::SessionRequired
            | AuthError::MissingCSRF
            | AuthError::AccountLocked
            | AuthError::EmailNotVerified
    );
    // Only a number goes on: the page prints it.
    let retry_after = query.get("retryAfter").and_then(|s| s.parse::<u64>().ok());
    if sign_in_error {
        let callback_url =
            auth.allowed_callback_url(&ctx, query.get("callbackUrl").map(String::as_str));
        let retry_after = retry_after.map(|s| s.to_string());
        let url = with_query(
            &auth.absolute_url(&ctx, &auth.paths().sign_in()),
            &[
                ("error", Some(error.code())),
                ("retryAfter", retry_after.as_deref()),
                ("callbackUrl", callback_url.as_deref()),
            ],
        );
        return Reply::redirect(url);
    }
    // The status of the page that shows an error, as Auth.js serves it (clients of its
    // protocol read it): not the status of a request that failed, which is
    // `AuthError::http_status`.
    let status = match error {
        AuthError::Configuration => StatusCode::INTERNAL_SERVER_ERROR,
        AuthError::AccessDenied | AuthError::Verification => StatusCode::FORBIDDEN,
        _ => StatusCode::OK,
    };
    Reply::html(status, pages::error(&auth, &ctx, error, retry_after))
}
