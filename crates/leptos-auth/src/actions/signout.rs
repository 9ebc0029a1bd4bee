//! `GET /signout` (confirmation page) and `POST /signout` (ends the session).

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};

use super::{reply::Reply, request::CheckedPost};
use crate::{Auth, audit::AuditEvent, pages};

pub(super) async fn get(State(auth): State<Auth>, headers: HeaderMap) -> Reply {
    if let Some(page) = &auth.config().pages.sign_out {
        return Reply::redirect(page.clone());
    }
    let ctx = auth.context(&headers);
    let (csrf_token, csrf_cookie) = auth.csrf_token(&ctx);
    Reply::html(StatusCode::OK, pages::sign_out(&auth, &ctx, &csrf_token)).with_cookies(csrf_cookie)
}

pub(super) async fn post(State(auth): State<Auth>, req: CheckedPost) -> Result<Reply, Reply> {
    let ctx = &req.ctx;
    let token = auth.sessions().read_token(ctx).await;
    auth.config().events.sign_out(token.as_ref()).await;
    if let Some(token) = &token {
        auth.audit(ctx, Some(&token.sub), AuditEvent::SignOut, None)
            .await;
    }
    // The row goes too: a copy of the cookie stops working everywhere.
    let cookies = auth.sessions().end_session(ctx).await;
    let url = auth
        .redirect_target(ctx, req.callback_url().as_deref())
        .await;
    Ok(Reply::outcome(req.json_mode, url, StatusCode::OK).with_cookies(cookies))
}
