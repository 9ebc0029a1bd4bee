//! The browser side: talks to the Auth.js endpoints with `fetch` (cookies travel with it,
//! same-origin), navigates, and keeps tabs in sync.

use std::{cell::RefCell, time::Duration};

use gloo_net::http::{Request, Response};
use leptos::{prelude::*, task::spawn_local};
use serde_json::Value;
use wasm_bindgen::{JsCast, closure::Closure};

use super::{SessionContext, SessionStatus, SignInOptions, SignInResponse};
use crate::auth::Session;

/// Same channel name as the Auth.js client, so tabs running either follow each other.
const CHANNEL: &str = "next-auth";

thread_local! {
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

/// `Some(None)`: signed out; `None`: the server could not be asked (keep what we have).
pub(super) async fn fetch_session(base_path: &str) -> Option<Option<Session>> {
    let response = Request::get(&format!("{base_path}/session"))
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    Some(parse_session(response.json::<Value>().await.ok()?))
}

fn parse_session(value: Value) -> Option<Session> {
    value.get("user")?;
    serde_json::from_value(value).ok()
}

async fn csrf_token(base_path: &str) -> Option<String> {
    let response = Request::get(&format!("{base_path}/csrf"))
        .send()
        .await
        .ok()?;
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

/// POSTs a form in JSON mode and reads `{"url"}`.
async fn post_form(url: &str, fields: &[(String, String)]) -> Option<(u16, Option<String>)> {
    let response: Response = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Auth-Return-Redirect", "1")
        .body(form_body(fields))
        .ok()?
        .send()
        .await
        .ok()?;
    let status = response.status();
    let url = response
        .json::<Value>()
        .await
        .ok()
        .and_then(|v| v.get("url")?.as_str().map(str::to_owned));
    Some((status, url))
}

pub(super) async fn update_session(base_path: &str, data: Value) -> Option<Option<Session>> {
    let csrf_token = csrf_token(base_path).await?;
    let body = serde_json::json!({ "csrfToken": csrf_token, "data": data });
    let response = Request::post(&format!("{base_path}/session"))
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
    base_path: &str,
    provider: &str,
    provider_kind: Option<&str>,
    options: &SignInOptions,
) -> SignInResponse {
    let failure = |error: &str| SignInResponse {
        error: Some(error.into()),
        ..Default::default()
    };
    let Some(csrf_token) = csrf_token(base_path).await else {
        return failure("Default");
    };
    let endpoint = match provider_kind {
        Some("credentials") => format!("{base_path}/callback/{provider}"),
        Some(_) => format!("{base_path}/signin/{provider}"),
        None => return failure("Configuration"),
    };
    let mut fields = options.fields.clone();
    fields.push(("csrfToken".into(), csrf_token));
    fields.push((
        "callbackUrl".into(),
        options.callback_url.clone().unwrap_or_else(current_url),
    ));
    fields.push(("json".into(), "true".into()));
    let Some((status, url)) = post_form(&endpoint, &fields).await else {
        return failure("Default");
    };
    let error = url.as_deref().and_then(|u| {
        let parsed = web_sys::Url::new(u).ok()?;
        parsed.search_params().get("error")
    });
    let ok = (200..300).contains(&status) && error.is_none();
    SignInResponse {
        error,
        status,
        ok,
        url: if ok { url } else { None },
    }
}

pub(super) async fn sign_out(base_path: &str, callback_url: Option<&str>) -> Option<String> {
    let csrf_token = csrf_token(base_path).await?;
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
    post_form(&format!("{base_path}/signout"), &fields).await?.1
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

pub(super) fn broadcast_session_change() {
    CHANNEL_HANDLE.with(|channel| {
        if let Some(channel) = channel.borrow().as_ref() {
            // The message shape of the Auth.js client, so tabs running either understand it.
            let message = r#"{"event":"session","data":{"trigger":"getSession"}}"#;
            let _ = channel.post_message(&wasm_bindgen::JsValue::from_str(message));
        }
    });
}

/// Polls while signed in, refetches when the tab is shown again and when another tab says
/// the session changed.
pub(super) fn keep_in_sync(context: SessionContext, refetch_interval: u32) {
    // Effects run in the browser only, after hydration.
    Effect::new(move |started: Option<()>| {
        if started.is_some() {
            return;
        }
        let refetch = move || {
            spawn_local(async move {
                context.refetch().await;
            })
        };

        if refetch_interval > 0 {
            let _ = set_interval_with_handle(
                move || {
                    if context.status_untracked() == SessionStatus::Authenticated {
                        refetch();
                    }
                },
                Duration::from_secs(refetch_interval.into()),
            );
        }

        let on_visible = Closure::<dyn Fn()>::new(move || {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                refetch();
            }
        });
        let _ = document().add_event_listener_with_callback(
            "visibilitychange",
            on_visible.as_ref().unchecked_ref(),
        );
        on_visible.forget();

        if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| refetch());
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            CHANNEL_HANDLE.with(|handle| *handle.borrow_mut() = Some(channel));
        }
    });
}
