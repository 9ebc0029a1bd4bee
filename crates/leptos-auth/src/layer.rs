//! [`AuthLayer`]: the tower layer that mounts the auth layer on an app. It puts [`Auth`] in
//! every request (so extractors, pages and server functions find it), refuses
//! state-changing requests that a browser sends from another site — the CSRF defence of
//! server functions, which carry no CSRF token; the `/api/auth` endpoints are left to their
//! own double-submit check — and gives HTML pages the headers that keep them out of frames,
//! shared caches and other sites' referrers: server-rendered pages carry the session and a
//! CSRF token.

use std::{
    future::Future,
    pin::Pin,
    task::{Context, Poll},
};

use axum::{
    extract::Request,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use tower::{Layer, Service};
use url::Url;

use crate::{Auth, ClientIp};

/// Made by [`Auth::layer`]; wraps a router in [`AuthService`].
#[derive(Clone)]
pub struct AuthLayer {
    auth: Auth,
}

impl Auth {
    /// The tower layer to put around the app's router:
    /// `router.merge(auth.router()).layer(auth.layer())`.
    pub fn layer(&self) -> AuthLayer {
        AuthLayer { auth: self.clone() }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            auth: self.auth.clone(),
        }
    }
}

/// The service made by [`AuthLayer`].
#[derive(Clone)]
pub struct AuthService<S> {
    inner: S,
    auth: Auth,
}

impl<S> Service<Request> for AuthService<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        if is_cross_site_write(&self.auth, &request) {
            tracing::warn!(path = %request.uri().path().escape_debug(), "refused a cross-site request");
            let refused = (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
            return Box::pin(async move { Ok(refused) });
        }
        let client_ip = ClientIp::resolve(
            &self.auth.config().trusted_proxies,
            request.extensions(),
            request.headers(),
        );
        request.extensions_mut().insert(client_ip);
        request.extensions_mut().insert(self.auth.clone());
        // The clone that was polled ready is the one to call (tower's contract).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let response = inner.call(request);
        Box::pin(async move {
            let mut response = response.await?;
            harden_html(&mut response);
            Ok(response)
        })
    }
}

/// Security headers for HTML responses; a header the app already set is kept.
fn harden_html(response: &mut Response) {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return;
    }
    let headers = response.headers_mut();
    // Pages rendered inside a `SessionProvider` already carry the policy with their nonce.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        // URLs may carry a callbackUrl or a token: never sent to other sites.
        (header::REFERRER_POLICY, "same-origin"),
        // The page holds the session and a CSRF token: never stored, never shared.
        (header::CACHE_CONTROL, "private, no-store"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// The Content-Security-Policy of HTML pages: no framing (clickjacking), no plugins, no
/// `<base>` pointing elsewhere; with the nonce of a server-rendered page, scripts only from
/// this site or inline with that nonce (Leptos's hydration scripts carry it), plus the
/// WebAssembly compilation the client needs. Never `'unsafe-inline'`.
pub(crate) fn content_security_policy(nonce: Option<&str>) -> String {
    let mut policy = String::from("frame-ancestors 'none'; object-src 'none'; base-uri 'self'");
    if let Some(nonce) = nonce {
        policy.push_str(&format!(
            "; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"
        ));
    }
    policy
}

/// During server rendering: gives the response the policy with this render's nonce (which
/// `leptos_axum` generates for every page).
pub(crate) fn set_page_policy() {
    use leptos::prelude::use_context;

    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, policy);
    }
}

/// A state-changing request a browser sent from a page of another site.
fn is_cross_site_write(auth: &Auth, request: &Request) -> bool {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe_method || is_under(request.uri().path(), auth.paths().base_path()) {
        return false;
    }
    is_cross_site(auth, request.headers())
}

/// Whether `path` is `base` or below it (`/api/authx` is not under `/api/auth`).
fn is_under(path: &str, base: &str) -> bool {
    path.strip_prefix(base)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Browsers mark every request with `Sec-Fetch-Site` and POSTs with `Origin`; other clients
/// carry no ambient cookies, so there is nothing to forge for them. Without an `Origin`
/// (older browsers), a `Referer` from another site counts the same: server functions
/// answer a plain form post with a redirect to its `Referer`, which must not lead off-site.
fn is_cross_site(auth: &Auth, headers: &HeaderMap) -> bool {
    let cross_site = headers
        .get("sec-fetch-site")
        .is_some_and(|v| v == "cross-site");
    let from_elsewhere = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .is_some_and(|source| {
            let expected = auth.site_url(headers);
            source
                .to_str()
                .ok()
                .and_then(|source| Url::parse(source).ok())
                .is_none_or(|source| source.origin() != expected.origin())
        });
    cross_site || from_elsewhere
}

#[cfg(test)]
mod tests {
    use super::is_under;

    #[test]
    fn base_path_match_stops_at_a_segment_boundary() {
        assert!(is_under("/api/auth", "/api/auth"));
        assert!(is_under("/api/auth/signin", "/api/auth"));
        assert!(!is_under("/api/authx/update", "/api/auth"));
        assert!(!is_under("/api/leptos-auth/sign_in", "/api/auth"));
    }
}
