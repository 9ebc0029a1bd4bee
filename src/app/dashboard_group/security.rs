//! The security part of the settings page: the active sessions with "Sign out" per session
//! and "Sign out all other sessions", the recent security activity, and the change-password
//! form. All are plain HTML forms
//! posting to the library's endpoints, which send the browser back here (`?error=<code>` on
//! failure), so they work the same with and without JavaScript. The whole part is an HTML
//! fragment made on the server and shown with `inner_html`: the client bundle carries no
//! code for it.

use leptos_auth::{Auth, AuthFnError};

use crate::app::escape_html;

/// Where the forms send the browser back to.
const BACK: &str = "/settings";

/// The fragment for the request's user; `query` is the page's query string (for the outcome
/// of a password change that just came back here).
pub async fn security_fragment(
    auth: &Auth,
    headers: &http::HeaderMap,
    query: &str,
) -> Result<String, AuthFnError> {
    let sessions = auth.list_sessions(headers).await?;
    let (csrf_token, csrf_cookie) = auth.csrf_token_for(headers);
    leptos_auth::server_fns::append_set_cookies(csrf_cookie);
    let hidden = |name: &str, value: &str| {
        format!(
            r#"<input type="hidden" name="{name}" value="{}">"#,
            escape_html(value)
        )
    };
    let csrf = hidden("csrfToken", &csrf_token);

    let revoke = escape_html(&auth.paths().revoke_sessions());
    let back = hidden("callbackUrl", BACK);
    let mut html = String::from(r#"<h2>Active sessions</h2><ul class="sessions">"#);
    for s in &sessions {
        html.push_str(&format!(
            r#"<li data-testid="session" data-current="{current}"><strong>{device}</strong>{this}<span class="muted"> · {ip} · last seen {seen}</span><form method="post" action="{revoke}">{csrf}{back}{id}<button type="submit" class="button">Sign out</button></form></li>"#,
            current = s.current,
            device = escape_html(&s.device),
            this = if s.current { " (this device)" } else { "" },
            ip = escape_html(s.ip.as_deref().unwrap_or("unknown address")),
            seen = escape_html(&s.last_seen_at),
            id = hidden("id", &s.id),
        ));
    }
    html.push_str(&format!(
        r#"</ul><form method="post" action="{revoke}">{csrf}{back}{others}<button type="submit" class="button" data-testid="revoke-others">Sign out all other sessions</button></form>"#,
        others = hidden("others", "true"),
    ));

    let events = auth.recent_security_events(headers).await?;
    html.push_str(r#"<h2>Recent security activity</h2><ul class="audit" data-testid="audit">"#);
    for event in events.iter().take(10) {
        html.push_str(&format!(
            r#"<li><strong>{what}</strong><span class="muted"> · {provider}{ip} · {time} UTC</span></li>"#,
            what = describe(&event.event),
            provider = event
                .provider
                .as_deref()
                .map(|p| format!("{} · ", escape_html(p)))
                .unwrap_or_default(),
            ip = escape_html(event.ip.as_deref().unwrap_or("unknown address")),
            time = event.time_iso8601().get(..16).unwrap_or_default().replace('T', " "),
        ));
    }
    html.push_str("</ul>");

    let message = password_message(query)
        .map(|(class, text)| format!(r#"<p class="{class}" role="status">{text}</p>"#))
        .unwrap_or_default();
    html.push_str(&format!(
        r#"<h2>Password</h2>{message}<form method="post" action="{action}" class="stacked-form">{csrf}{back}<label for="current-password">Current password</label><input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required><label for="new-password">New password</label><input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required><button type="submit" class="button primary">Change password</button></form>"#,
        action = escape_html(&auth.paths().change_password()),
        back = hidden("callbackUrl", "/settings?password=changed"),
    ));
    Ok(html)
}

/// What to say after a password change came back: `?password=changed`, or `?error=<code>`.
fn password_message(query: &str) -> Option<(&'static str, &'static str)> {
    let params: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match (param("error"), param("password")) {
        (Some("WrongPassword"), _) => Some(("form-error", "The current password is not correct.")),
        (Some("WeakPassword"), _) => Some((
            "form-error",
            "The new password must be between 8 and 256 characters long.",
        )),
        (Some("NoPassword"), _) => Some(("form-error", "This account has no password.")),
        (Some("RateLimited" | "AccountLocked"), _) => {
            Some(("form-error", "Too many attempts. Try again later."))
        }
        (Some(_), _) => Some(("form-error", "Something went wrong. Please try again.")),
        (None, Some("changed")) => Some((
            "notice",
            "Password changed. Your other sessions were signed out.",
        )),
        _ => None,
    }
}

/// An audit event name as the user reads it.
fn describe(event: &str) -> &'static str {
    match event {
        "sign_in" => "Signed in",
        "sign_in_failed" => "Failed sign-in attempt",
        "sign_out" => "Signed out",
        "sign_up" => "Account created",
        "link_account" => "Sign-in method linked",
        "unlink_account" => "Sign-in method unlinked",
        "password_change" => "Password changed",
        "password_reset" => "Password reset by email",
        "email_verified" => "Email address verified",
        "session_revoked" => "Sessions signed out",
        "password_removed" => "Password removed",
        "links_voided" => "Emailed links cancelled",
        "lockout" => "Sign-in locked after failed attempts",
        "passkey_added" => "Passkey added",
        "passkey_removed" => "Passkey deleted",
        "passkey_counter_regressed" => "Passkey refused: it may have been copied",
        _ => "Security event",
    }
}
