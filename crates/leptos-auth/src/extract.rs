//! [`SignedInUser`]: the session as an axum extractor, the axum-login way. In a plain
//! handler take `SignedInUser` (signed out → 401 `SessionRequired`) or
//! `Option<SignedInUser>`; in a server function,
//! `leptos_axum::extract::<SignedInUser>().await?`. [`Auth`] itself is an extractor too.

use axum::{
    Json,
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::HeaderMap,
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};

use crate::{Auth, AuthError, ClientIp, Session, callbacks::JwtTrigger, context::RequestContext};

/// The user of a request with a valid session.
///
/// ```
/// use leptos_auth::{AuthFnError, SignedInUser};
/// use leptos::prelude::*;
///
/// /// Only for signed-in users: the extractor rejects the others with `SessionRequired`.
/// #[server]
/// pub async fn my_email() -> Result<String, AuthFnError> {
///     let user: SignedInUser = leptos_axum::extract().await?;
///     Ok(user.session.user.email.unwrap_or_default())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct SignedInUser {
    /// The user's id in the store (the token's `sub`).
    pub user_id: String,
    /// The session, as `GET /api/auth/session` would show it.
    pub session: Session,
}

impl<S: Send + Sync> FromRequestParts<S> for SignedInUser {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AuthError> {
        let user =
            <SignedInUser as OptionalFromRequestParts<S>>::from_request_parts(parts, state).await?;
        user.ok_or_else(|| {
            // Inside a server function the status is the Leptos response's.
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(StatusCode::UNAUTHORIZED);
            }
            AuthError::SessionRequired
        })
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for SignedInUser {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Option<Self>, AuthError> {
        let auth = auth_of(parts)?;
        Ok(auth.signed_in_user_of(&auth.context_of(parts)).await)
    }
}

/// The auth layer itself, from the request (put there by [`Auth::layer`]): in a server
/// function, `let auth: Auth = leptos_axum::extract().await?;`.
impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthError> {
        auth_of(parts)
    }
}

/// The `Auth` that [`Auth::layer`] put in the request.
pub(crate) fn auth_of(parts: &Parts) -> Result<Auth, AuthError> {
    parts.extensions.get::<Auth>().cloned().ok_or_else(|| {
        tracing::error!("no Auth in the request: add `auth.layer()` to the router");
        AuthError::Configuration
    })
}

/// The session of a request, as handlers and server functions ask for it.
impl Auth {
    /// The session of the request with these headers, or `None` when signed out
    /// (the `getServerSession` of Auth.js). Runs the `jwt` and `session` callbacks.
    pub async fn session(&self, headers: &HeaderMap) -> Option<Session> {
        self.signed_in_user(headers).await.map(|user| user.session)
    }

    /// The signed-in user of the request with these headers (what the [`SignedInUser`]
    /// extractor gives), or `None` when signed out.
    pub async fn signed_in_user(&self, headers: &HeaderMap) -> Option<SignedInUser> {
        self.signed_in_user_of(&self.context(headers)).await
    }

    async fn signed_in_user_of(&self, ctx: &RequestContext) -> Option<SignedInUser> {
        let sessions = self.sessions();
        let token = sessions.read_token(ctx).await?;
        let token = sessions
            .run_jwt_callback(token, JwtTrigger::None, None, None)
            .await;
        Some(SignedInUser {
            user_id: token.sub.clone(),
            session: sessions.session_from_token(&token).await,
        })
    }

    /// The user id of the request's session, without running callbacks.
    pub async fn session_user_id(&self, headers: &HeaderMap) -> Option<String> {
        self.sessions()
            .read_token(&self.context(headers))
            .await
            .map(|token| token.sub)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AuthError> {
        let auth = auth_of(parts)?;
        Ok(ClientIp::of(&auth.config().trusted_proxies, parts))
    }
}

impl IntoResponse for AuthError {
    /// `{"error":"<Code>"}` with [`AuthError::http_status`].
    fn into_response(self) -> Response {
        let body = Json(serde_json::json!({ "error": self.code() }));
        (self.http_status(), body).into_response()
    }
}
