//! CSRF defence for server functions: a state-changing request sent by a browser from another
//! site is refused. (The `/api/auth/*` endpoints check their CSRF token instead.)

use axum::{
    body::Body,
    extract::State,
    http::{Method, Request, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use url::Url;

use crate::auth::Auth;

pub async fn reject_cross_site_posts(
    State(auth): State<Auth>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe_method || request.uri().path().starts_with(&auth.config().base_path) {
        return next.run(request).await;
    }
    let headers = request.headers();
    // Browsers mark every request with Sec-Fetch-Site and POSTs with Origin; other clients
    // carry no ambient cookies, so there is nothing to forge for them.
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site");
    let foreign_origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|origin| {
            let expected = auth.site_url(headers);
            Url::parse(origin)
                .map(|o| o.origin() != expected.origin())
                .unwrap_or(true)
        });
    if cross_site || foreign_origin {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(request).await
}
