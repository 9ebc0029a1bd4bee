//! [`Reply`]: what an action answers, before it becomes an HTTP response, and the one way
//! to answer a failure (the error page with `?error=<Code>`).

use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::time::Duration;

use serde_json::{Value, json};

use super::request::ActionPost;
use crate::redirect::with_query;
use crate::{Auth, AuthError, context::RequestContext, limits::TooManyAttempts, pages};

/// What an action answers, before it becomes an HTTP response.
pub(crate) struct Reply {
    status: StatusCode,
    cookies: Vec<String>,
    body: ReplyBody,
    retry_after: Option<Duration>,
}

enum ReplyBody {
    Redirect(String),
    Json(Value),
    /// JSON already serialised (the hot `GET /session` skips the `Value` in between).
    JsonText(String),
    Html(String),
}

impl Reply {
    pub fn json(value: Value) -> Self {
        Reply {
            status: StatusCode::OK,
            cookies: Vec::new(),
            retry_after: None,
            body: ReplyBody::Json(value),
        }
    }

    /// `value` as JSON, serialised straight into the body.
    pub fn json_of(value: &impl serde::Serialize) -> Self {
        Reply {
            status: StatusCode::OK,
            cookies: Vec::new(),
            retry_after: None,
            body: ReplyBody::JsonText(serde_json::to_string(value).unwrap_or_else(|_| "{}".into())),
        }
    }

    pub fn html(status: StatusCode, html: String) -> Self {
        Reply {
            status,
            cookies: Vec::new(),
            retry_after: None,
            body: ReplyBody::Html(html),
        }
    }

    pub fn redirect(url: String) -> Self {
        Reply {
            status: StatusCode::FOUND,
            cookies: Vec::new(),
            retry_after: None,
            body: ReplyBody::Redirect(url),
        }
    }

    /// The end of a POST action: a 302 to `url`, or in JSON mode `{"url"}` with `status`
    /// (clients compute `ok` from it, so failures must not be 2xx).
    pub fn outcome(json_mode: bool, url: String, status: StatusCode) -> Self {
        if json_mode {
            Reply {
                status,
                cookies: Vec::new(),
                retry_after: None,
                body: ReplyBody::Json(json!({ "url": url })),
            }
        } else {
            Reply::redirect(url)
        }
    }

    /// The end of a sign-in: [`Reply::outcome`] to where it goes, or when a second factor is
    /// pending, its page — in JSON mode a 401 `{"error":"TwoFactorRequired","url"}`, so
    /// `signIn(…, { redirect: false })` callers see it is not done and where to go.
    pub fn signed_in(json_mode: bool, signed_in: crate::sign_in::SignedIn) -> Self {
        let reply = if signed_in.second_factor_pending && json_mode {
            let code = AuthError::TwoFactorRequired;
            Reply::json(json!({ "error": code.code(), "url": signed_in.url }))
                .with_status(code.http_status())
        } else {
            Reply::outcome(json_mode, signed_in.url, StatusCode::OK)
        };
        reply.with_cookies(signed_in.cookies)
    }

    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// Adds `Retry-After` (rate limits, lockouts).
    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    pub fn with_cookies(mut self, cookies: impl IntoIterator<Item = String>) -> Self {
        self.cookies.extend(cookies);
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = match self.body {
            ReplyBody::Redirect(url) => {
                let mut r = Response::new(Body::empty());
                if let Ok(location) = HeaderValue::from_str(&url) {
                    r.headers_mut().insert(header::LOCATION, location);
                }
                r
            }
            ReplyBody::Json(value) => json_response(value.to_string()),
            ReplyBody::JsonText(text) => json_response(text),
            ReplyBody::Html(html) => {
                let mut r = Response::new(Body::from(html));
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                r
            }
        };
        *response.status_mut() = self.status;
        // Auth answers depend on cookies: never cache them anywhere.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache, no-store"),
        );
        if let Some(retry_after) = self.retry_after {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
        }
        for cookie in self.cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

fn json_response(text: String) -> Response {
    let mut r = Response::new(Body::from(text));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

impl Auth {
    /// The answer to a failed action: the error page `?error=<code>` (which sends sign-in
    /// errors on to the sign-in page) with `params`, as a 302, or in JSON mode as `{"url"}`
    /// with `status` (never 2xx: clients compute `ok` from it).
    pub(crate) fn error_reply(
        &self,
        ctx: &RequestContext,
        json_mode: bool,
        code: AuthError,
        status: StatusCode,
        params: &[(&str, Option<&str>)],
    ) -> Reply {
        let mut query = vec![("error", Some(code.code()))];
        query.extend_from_slice(params);
        let url = with_query(&self.absolute_url(ctx, &self.paths().error()), &query);
        Reply::outcome(json_mode, url, status)
    }

    /// The answer to a request over the per-IP rate limit: `429` with `Retry-After`, as
    /// `{"error":"RateLimited","url"}` in JSON mode, else the error page saying how long to
    /// wait.
    pub(crate) fn rate_limited_reply(
        &self,
        ctx: &RequestContext,
        json_mode: bool,
        refusal: TooManyAttempts,
    ) -> Reply {
        let status = StatusCode::TOO_MANY_REQUESTS;
        let reply = if json_mode {
            let seconds = refusal.retry_after.as_secs().to_string();
            let url = with_query(
                &self.absolute_url(ctx, &self.paths().error()),
                &[
                    ("error", Some(refusal.code.code())),
                    ("retryAfter", Some(&seconds)),
                ],
            );
            Reply::json(json!({ "error": refusal.code.code(), "url": url })).with_status(status)
        } else {
            let wait = Some(refusal.retry_after.as_secs());
            Reply::html(status, pages::error(self, ctx, refusal.code, wait))
        };
        reply.with_retry_after(Some(refusal.retry_after))
    }
}

/// `{"error": code}` with `status`: the failure of an account endpoint.
pub(super) fn failure(code: &str, status: StatusCode) -> Reply {
    Reply::json(json!({ "error": code })).with_status(status)
}

/// JSON, or for a plain form (it posts a `callbackUrl`) a 302 back to its page.
pub(super) fn answer(req: &ActionPost, outcome: Result<Value, (&str, StatusCode)>) -> Reply {
    match (req.callback_url().filter(|_| !req.json_mode), outcome) {
        (Some(page), Ok(_)) => Reply::redirect(page),
        (Some(page), Err((code, _))) => {
            Reply::redirect(with_query(&page, &[("error", Some(code))]))
        }
        (None, Ok(body)) => Reply::json(body),
        (None, Err((code, status))) => failure(code, status),
    }
}
