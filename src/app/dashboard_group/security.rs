//! The security part of the settings page: active sessions with "Sign out" per session and
//! "Sign out all other sessions", and the change-password form. All of them are plain HTML
//! forms posting to the library's endpoints, which come back here: they work the same with
//! and without JavaScript, and add almost nothing to the client bundle.

use leptos::prelude::*;
use leptos_auth::{AuthFnError, SessionInfo, use_session};
use leptos_router::hooks::use_query_map;

/// The signed-in user's sessions, the current one marked.
#[server(prefix = "/api/app", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionInfo>, AuthFnError> {
    let auth: leptos_auth::Auth = leptos_axum::extract().await?;
    let headers: http::HeaderMap = leptos_axum::extract().await?;
    Ok(auth.list_sessions(&headers).await?)
}

/// Where the forms send the browser back to.
const BACK: &str = "/settings";

#[component]
pub fn SessionsSection() -> impl IntoView {
    let session = use_session();
    let sessions = Resource::new(|| (), |_| my_sessions());
    let revoke_url = session.paths().revoke_sessions();
    let csrf = move || session.csrf_token();
    let list = move || {
        let revoke_url = revoke_url.clone();
        sessions.get().and_then(Result::ok).map(|sessions| {
            let rows = sessions
                .into_iter()
                .map(|s| {
                    let label = if s.current { " (this device)" } else { "" };
                    view! {
                        <li data-testid="session" data-current=s.current.to_string()>
                            <strong>{s.device}</strong>
                            {label}
                            <span class="muted">
                                " · " {s.ip.unwrap_or_default()} " · last seen " {s.last_seen_at}
                            </span>
                            <form method="post" action=revoke_url.clone()>
                                <input type="hidden" name="csrfToken" value=csrf/>
                                <input type="hidden" name="id" value=s.id/>
                                <input type="hidden" name="callbackUrl" value=BACK/>
                                <button type="submit" class="button">"Sign out"</button>
                            </form>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="sessions">{rows}</ul>
                <form method="post" action=revoke_url>
                    <input type="hidden" name="csrfToken" value=csrf/>
                    <input type="hidden" name="others" value="true"/>
                    <input type="hidden" name="callbackUrl" value=BACK/>
                    <button type="submit" class="button" data-testid="revoke-others">
                        "Sign out all other sessions"
                    </button>
                </form>
            }
        })
    };
    view! {
        <h2>"Active sessions"</h2>
        <Transition fallback=|| ()>{list}</Transition>
    }
}

#[component]
pub fn PasswordSection() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let message = move || {
        // The endpoint sends the form back to its callbackUrl, with ?error=<code> on failure.
        query.with(
            |q| match (q.get("error").as_deref(), q.get("password").as_deref()) {
                (Some("WrongPassword"), _) => {
                    Some(("form-error", "The current password is not correct."))
                }
                (Some("WeakPassword"), _) => Some((
                    "form-error",
                    "The new password must be between 8 and 256 characters long.",
                )),
                (Some("NoPassword"), _) => Some(("form-error", "This account has no password.")),
                (Some("RateLimited" | "AccountLocked"), _) => {
                    Some(("form-error", "Too many attempts. Try again later."))
                }
                (Some(_), _) => Some((
                    "form-error",
                    "The password could not be changed. Please try again.",
                )),
                (None, Some("changed")) => Some((
                    "notice",
                    "Password changed. Your other sessions were signed out.",
                )),
                _ => None,
            },
        )
    };
    view! {
        <h2>"Password"</h2>
        {move || message().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <form method="post" action=session.paths().change_password() class="stacked-form">
            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
            <input type="hidden" name="callbackUrl" value="/settings?password=changed"/>
            <label for="current-password">"Current password"</label>
            <input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required/>
            <label for="new-password">"New password"</label>
            <input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required/>
            <button type="submit" class="button primary">"Change password"</button>
        </form>
    }
}
