//! `GET /session` (read, with sliding refresh) and `POST /session` (the update flow).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde_json::json;

use super::{reply::Reply, request::ActionPost};
use crate::{Auth, AuthError, callbacks::JwtTrigger};

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    let ctx = auth.context(&headers);
    let session_cookie = ctx.jar.session_token();
    let token = match auth.sessions().read_session(&ctx).await {
        Ok(token) => token,
        // The store is down: the session may be fine, so the cookie stays as it is.
        Err(e) => {
            if e.retry_after().is_none() {
                tracing::error!(error = %e, "session lookup failed");
            }
            let retry_after = e.retry_after().unwrap_or(std::time::Duration::from_secs(1));
            return Reply::json(json!({ "error": AuthError::Configuration.code() }))
                .with_status(StatusCode::SERVICE_UNAVAILABLE)
                .with_retry_after(Some(retry_after));
        }
    };
    let Some(token) = token else {
        // A cookie that does not verify is dropped so the browser stops sending it.
        let stale = ctx.cookies.get_chunked(&session_cookie).is_some();
        let cookies = if stale {
            ctx.jar.expire_chunked(&session_cookie, &ctx.cookies)
        } else {
            Vec::new()
        };
        return Reply::json(json!({})).with_cookies(cookies);
    };

    let before = token.clone();
    let mut token = auth
        .sessions()
        .run_jwt_callback(token, JwtTrigger::None, None, None)
        .await;
    let refresh = auth.sessions().refresh_due(&token);
    if refresh {
        auth.sessions().refresh_token_times(&mut token);
    }
    let cookies = if refresh || token != before {
        match auth.sessions().save_session(&ctx, &token).await {
            Ok(cookies) => cookies,
            Err(_) => return Reply::json(json!({})),
        }
    } else {
        Vec::new()
    };
    let session = auth.sessions().session_from_token(&token).await;
    Reply::json_of(&session).with_cookies(cookies)
}

pub(super) async fn post(State(auth): State<Auth>, req: ActionPost) -> Reply {
    // The update flow answers JSON whatever the mode: a failed check is a 403 with its code
    // (and the error URL, like every other endpoint's CSRF refusal).
    if req.require_csrf().is_err() {
        let refused = auth.error_reply(
            &req.ctx,
            true,
            AuthError::MissingCSRF,
            StatusCode::FORBIDDEN,
            &[],
        );
        return refused;
    }
    let Some(token) = auth.sessions().read_token(&req.ctx).await else {
        return Reply::json(json!({}));
    };
    let data = req.body.0.get("data");
    let mut token = auth
        .sessions()
        .run_jwt_callback(token, JwtTrigger::Update, None, data)
        .await;
    auth.sessions().refresh_token_times(&mut token);
    let cookies = match auth.sessions().save_session(&req.ctx, &token).await {
        Ok(cookies) => cookies,
        Err(_) => return Reply::json(json!({})),
    };
    let session = auth.sessions().session_from_token(&token).await;
    Reply::json(serde_json::to_value(session).unwrap_or_default()).with_cookies(cookies)
}
