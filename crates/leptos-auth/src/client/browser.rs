//! The browser side (feature `hydrate`): talks to the Auth.js endpoints with `fetch`
//! (cookies travel with it, same-origin), navigates, and keeps tabs in sync.

use std::time::Duration;

use gloo_net::http::{Request, Response};
use leptos::{leptos_dom::helpers::IntervalHandle, prelude::*, task::spawn_local};
use serde_json::Value;
use wasm_bindgen::{JsCast, closure::Closure};

use super::{SessionContext, SessionStatus, SignInOptions, SignInResponse};
use crate::{AuthError, Session, paths::AuthPaths, provider_kind::ProviderKind};

/// Same channel name as the Auth.js client, so tabs running either follow each other.
const CHANNEL: &str = "next-auth";

/// The message shape of the Auth.js client, so tabs running either understand it.
const SESSION_CHANGED: &str = r#"{"event":"session","data":{"trigger":"getSession"}}"#;

/// What keeps one tab's session fresh: the polling interval, the visibility listener and the
/// cross-tab channel. Dropping it (when the [`super::SessionProvider`] goes away) releases
/// all three.
pub(super) struct TabSync {
    interval: Option<IntervalHandle>,
    on_visible: Closure<dyn Fn()>,
    channel: Option<web_sys::BroadcastChannel>,
    // Kept alive as long as the channel calls it.
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
}

impl TabSync {
    /// Polls every `refetch_interval` seconds while signed in (0: never), refetches when the
    /// tab is shown again and when another tab says the session changed.
    pub fn start(context: SessionContext, refetch_interval: u32) -> Option<TabSync> {
        let refetch = move || {
            spawn_local(async move {
                context.refetch().await;
            })
        };

        let interval = (refetch_interval > 0)
            .then(|| {
                set_interval_with_handle(
                    move || {
                        if context.status_untracked() == SessionStatus::Authenticated {
                            refetch();
                        }
                    },
                    Duration::from_secs(refetch_interval.into()),
                )
                .ok()
            })
            .flatten();

        let on_visible = Closure::<dyn Fn()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                refetch();
            }
        });
        document()
            .add_event_listener_with_callback(
                "visibilitychange",
                on_visible.as_ref().unchecked_ref(),
            )
            .ok()?;

        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| refetch());
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok();
        if let Some(channel) = &channel {
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        }
        Some(TabSync {
            interval,
            on_visible,
            channel,
            _on_message: on_message,
        })
    }

    /// Tells the other tabs that the session changed (this tab's channel does not hear it).
    pub fn announce_change(&self) {
        if let Some(channel) = &self.channel {
            let _ = channel.post_message(&wasm_bindgen::JsValue::from_str(SESSION_CHANGED));
        }
    }
}

impl Drop for TabSync {
    fn drop(&mut self) {
        if let Some(interval) = self.interval.take() {
            interval.clear();
        }
        let _ = document().remove_event_listener_with_callback(
            "visibilitychange",
            self.on_visible.as_ref().unchecked_ref(),
        );
        if let Some(channel) = self.channel.take() {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

/// `Some(None)`: signed out; `None`: the server could not be asked (keep what we have).
pub(super) async fn fetch_session(paths: &AuthPaths) -> Option<Option<Session>> {
    let response = Request::get(&paths.session()).send().await.ok()?;
    if !response.ok() {
        return None;
    }
    Some(parse_session(response.json::<Value>().await.ok()?))
}

fn parse_session(value: Value) -> Option<Session> {
    value.get("user")?;
    serde_json::from_value(value).ok()
}

async fn csrf_token(paths: &AuthPaths) -> Option<String> {
    let response = Request::get(&paths.csrf()).send().await.ok()?;
    let value: Value = response.json().await.ok()?;
    value.get("csrfToken")?.as_str().map(str::to_owned)
}

fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                js_sys::encode_uri_component(k),
                js_sys::encode_uri_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs a form in JSON mode and reads `{"url"}` (and `{"error"}`, which a second factor
/// still to come puts there rather than in the URL).
async fn post_form(url: &str, fields: &[(String, String)]) -> Option<(u16, Option<Value>)> {
    let response: Response = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Auth-Return-Redirect", "1")
        .body(form_body(fields))
        .ok()?
        .send()
        .await
        .ok()?;
    Some((response.status(), response.json::<Value>().await.ok()))
}

fn text_field(body: &Option<Value>, name: &str) -> Option<String> {
    body.as_ref()?.get(name)?.as_str().map(str::to_owned)
}

pub(super) async fn update_session(paths: &AuthPaths, data: Value) -> Option<Option<Session>> {
    let csrf_token = csrf_token(paths).await?;
    let body = serde_json::json!({ "csrfToken": csrf_token, "data": data });
    let response = Request::post(&paths.session())
        .json(&body)
        .ok()?
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    Some(parse_session(response.json::<Value>().await.ok()?))
}

fn current_url() -> String {
    window().location().href().unwrap_or_default()
}

pub(super) async fn sign_in(
    paths: &AuthPaths,
    provider: &str,
    kind: Option<ProviderKind>,
    options: &SignInOptions,
) -> SignInResponse {
    let failure = |error: AuthError| SignInResponse {
        error: Some(error),
        ..Default::default()
    };
    let Some(csrf_token) = csrf_token(paths).await else {
        return failure(AuthError::Default);
    };
    let endpoint = match kind {
        Some(ProviderKind::Credentials) => paths.callback(provider),
        Some(_) => paths.sign_in_with(provider),
        None => return failure(AuthError::Configuration),
    };
    let mut fields = options.fields.clone();
    fields.push(("csrfToken".into(), csrf_token));
    fields.push((
        "callbackUrl".into(),
        options.callback_url.clone().unwrap_or_else(current_url),
    ));
    fields.push(("json".into(), "true".into()));
    let Some((status, body)) = post_form(&endpoint, &fields).await else {
        return failure(AuthError::Default);
    };
    let url = text_field(&body, "url");
    let params = url
        .as_deref()
        .and_then(|u| web_sys::Url::new(u).ok())
        .map(|parsed| parsed.search_params());
    let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
    let error = text_field(&body, "error").or_else(|| param("error"));
    let ok = (200..300).contains(&status) && error.is_none();
    let error = error.map(|code| AuthError::from_code(&code));
    SignInResponse {
        status,
        ok,
        // The two-factor page is where a pending sign-in goes on.
        url: if ok || error == Some(AuthError::TwoFactorRequired) {
            url
        } else {
            None
        },
        error,
        retry_after: param("retryAfter").and_then(|s| s.parse().ok()),
    }
}

pub(super) async fn sign_out(paths: &AuthPaths, callback_url: Option<&str>) -> Option<String> {
    let csrf_token = csrf_token(paths).await?;
    let fields = vec![
        ("csrfToken".to_owned(), csrf_token),
        (
            "callbackUrl".to_owned(),
            callback_url
                .map(str::to_owned)
                .unwrap_or_else(|| "/".into()),
        ),
        ("json".to_owned(), "true".to_owned()),
    ];
    text_field(&post_form(&paths.sign_out(), &fields).await?.1, "url")
}

pub(super) fn go_to_sign_in_page(page: &str, callback_url: Option<&str>) {
    let location = window().location();
    // Already on the sign-in page: going there again would loop.
    if location.pathname().ok().as_deref() == Some(page) {
        return;
    }
    let callback_url = callback_url.map(str::to_owned).unwrap_or_else(current_url);
    navigate(&format!(
        "{page}?callbackUrl={}",
        js_sys::encode_uri_component(&callback_url)
    ));
}

pub(super) fn navigate(url: &str) {
    let _ = window().location().assign(url);
}
