//! [`CheckedPost`]: a POST to an `/api/auth` action, parsed once and CSRF-checked before the
//! handler runs (docs/architecture.md › Cookies and CSRF). Every POST action starts the same
//! way (the site and cookies of the request, the body as form or JSON, JSON mode, the CSRF
//! check); these extractors do it so the actions read like the protocol, and a handler that
//! takes a `CheckedPost` cannot forget the check.
//!
//! Only two handlers take the unchecked [`ActionPost`], each for a reason of the protocol:
//! the OAuth callback (an OpenID provider's `form_post` carries no CSRF token; it has
//! state, PKCE and nonce instead) and the session update (its refusal is always JSON).

use std::collections::HashMap;

use axum::{
    extract::{FromRequest, Request},
    http::{HeaderMap, StatusCode, header},
};
use serde_json::{Map, Value};

use super::reply::Reply;
use crate::{Auth, AuthError, ClientIp, context::RequestContext};

/// Auth forms are a few short fields; anything larger is refused before it is parsed.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// A POST to an `/api/auth` endpoint.
pub(crate) struct ActionPost {
    pub ctx: RequestContext,
    pub body: PostBody,
    /// Answer `{"url"}` instead of a 302: v4 clients post `json=true`, v5 clients send
    /// `X-Auth-Return-Redirect: 1`.
    pub json_mode: bool,
    /// The client's address, for the per-IP rate limits.
    pub client_ip: ClientIp,
    auth: Auth,
}

impl FromRequest<Auth> for ActionPost {
    type Rejection = Reply;

    async fn from_request(request: Request, auth: &Auth) -> Result<Self, Reply> {
        let (parts, body) = request.into_parts();
        let ctx = auth.context_of(&parts);
        let client_ip = ClientIp(ctx.client_ip);
        let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                Reply::json(serde_json::json!({ "error": AuthError::Default.code() }))
                    .with_status(StatusCode::PAYLOAD_TOO_LARGE)
            })?;
        let body = PostBody::parse(&parts.headers, &bytes);
        // A client that posts JSON reads JSON: it gets `{"url"}` (or the endpoint's own
        // JSON), never a redirect.
        let json_mode = body.field("json") == Some("true")
            || PostBody::is_json(&parts.headers)
            || parts
                .headers
                .get("x-auth-return-redirect")
                .is_some_and(|v| v == "1");
        Ok(ActionPost {
            ctx,
            body,
            json_mode,
            client_ip,
            auth: auth.clone(),
        })
    }
}

/// An [`ActionPost`] whose CSRF token matched its cookie; a failure is answered with
/// `MissingCSRF` (403) before the handler runs.
pub(crate) struct CheckedPost(ActionPost);

impl FromRequest<Auth> for CheckedPost {
    type Rejection = Reply;

    async fn from_request(request: Request, auth: &Auth) -> Result<Self, Reply> {
        let post = ActionPost::from_request(request, auth).await?;
        post.require_csrf()?;
        Ok(CheckedPost(post))
    }
}

impl std::ops::Deref for CheckedPost {
    type Target = ActionPost;

    fn deref(&self) -> &ActionPost {
        &self.0
    }
}

impl ActionPost {
    /// A form field as text.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.body.field(name)
    }

    /// The `callbackUrl` field when the redirect rule allows it (a rejected one is dropped).
    pub fn callback_url(&self) -> Option<String> {
        self.auth
            .allowed_callback_url(&self.ctx, self.field("callbackUrl"))
    }

    /// Checks the double-submit CSRF token (docs/architecture.md › Cookies and CSRF); a failure
    /// is answered with `MissingCSRF` (403).
    pub fn require_csrf(&self) -> Result<(), Reply> {
        if self.auth.csrf_valid(&self.ctx, self.field("csrfToken")) {
            return Ok(());
        }
        tracing::warn!("refused a POST without a valid CSRF token");
        Err(self.auth.error_reply(
            &self.ctx,
            self.json_mode,
            AuthError::MissingCSRF,
            StatusCode::FORBIDDEN,
            &[],
        ))
    }
}

/// Fields of a POST body: url-encoded form or JSON object, whichever the client sent.
/// A body that does not parse has no fields (and so fails the CSRF check).
pub(crate) struct PostBody(pub Map<String, Value>);

impl PostBody {
    /// `application/json`, with or without parameters, in any case (media types are
    /// case-insensitive); not `application/jsonx`.
    fn is_json(headers: &HeaderMap) -> bool {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
    }

    pub fn parse(headers: &HeaderMap, body: &[u8]) -> PostBody {
        let map = if PostBody::is_json(headers) {
            serde_json::from_slice::<Map<String, Value>>(body).unwrap_or_default()
        } else {
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect()
        };
        PostBody(map)
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// Every text field, e.g. the query of a `form_post` OAuth callback.
    pub fn text_fields(&self) -> HashMap<String, String> {
        self.0
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect()
    }

    /// The fields for a credentials `authorize`: everything but the protocol's own fields.
    pub fn credentials(&self) -> HashMap<String, String> {
        let mut fields = self.text_fields();
        for protocol_field in ["csrfToken", "callbackUrl", "json", "redirect"] {
            fields.remove(protocol_field);
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn content_type(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn json_is_known_by_its_media_type_in_any_case() {
        for json in [
            "application/json",
            "APPLICATION/JSON",
            "application/json; charset=utf-8",
            "Application/Json ;charset=UTF-8",
        ] {
            assert!(PostBody::is_json(&content_type(json)), "{json}");
            let body = PostBody::parse(&content_type(json), br#"{"csrfToken":"t"}"#);
            assert_eq!(body.field("csrfToken"), Some("t"), "{json}");
        }
        for other in [
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "text/json",
            "",
        ] {
            assert!(!PostBody::is_json(&content_type(other)), "{other}");
        }
        assert!(!PostBody::is_json(&HeaderMap::new()));
    }
}
