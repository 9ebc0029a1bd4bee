//! The security part of the settings page: "confirm it is you" when a sensitive action found
//! the session too old, two-factor sign-in (set up with a QR code, turn on with a code, new
//! backup codes, turn off), the active sessions with "Sign out" per session and "Sign out all
//! other sessions", the recent security activity, and the change-password form. All are
//! plain HTML forms
//! posting to the library's endpoints, which send the browser back here (`?error=<code>` on
//! failure), so they work the same with and without JavaScript. The whole part is an HTML
//! fragment made on the server and shown with `inner_html`: the client bundle carries no
//! code for it.

use leptos_auth::{Auth, AuthFnError, store::User};

use crate::app::escape_html;

/// Where the forms send the browser back to.
const BACK: &str = "/settings";

/// The fragment for the request's user; `query` is the page's query string (for the outcome
/// of a password change that just came back here).
pub async fn security_fragment(
    auth: &Auth,
    headers: &http::HeaderMap,
    query: &str,
    user: &User,
    has_password: bool,
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

    let params: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let error = params
        .iter()
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.as_str());
    let reauth = params.iter().any(|(k, _)| k == "reauth");
    let two_factor = auth.two_factor_status(&user.id).await.map_err(|e| {
        tracing::error!(error = %e, "two-factor status");
        AuthFnError::Unavailable.respond()
    })?;

    let back = hidden("callbackUrl", BACK);
    let mut html = String::new();
    match (error, reauth) {
        (Some("SessionNotFresh"), _) | (Some(_), true) => html.push_str(&reauthenticate_form(
            auth,
            &csrf,
            has_password,
            two_factor.enabled,
            error,
        )),
        (None, true) => html.push_str(
            r#"<p class="notice" role="status" data-testid="reauthenticated">Confirmed. You can make the change now.</p>"#,
        ),
        _ => {}
    }
    let section_error = error.filter(|_| !reauth);
    html.push_str(
        &two_factor_section(
            auth,
            &csrf,
            &back,
            user,
            &two_factor,
            section_error,
            headers,
        )
        .await,
    );

    let revoke = escape_html(&auth.paths().revoke_sessions());
    html.push_str(r#"<h2>Active sessions</h2><ul class="sessions">"#);
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
        .filter(|_| !reauth)
        .map(|(class, text)| format!(r#"<p class="{class}" role="status">{text}</p>"#))
        .unwrap_or_default();
    html.push_str(&format!(
        r#"<h2>Password</h2>{message}<form method="post" action="{action}" class="stacked-form">{csrf}{back}<label for="current-password">Current password</label><input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required><label for="new-password">New password</label><input id="new-password" name="newPassword" type="password" autocomplete="new-password" minlength="8" required><button type="submit" class="button primary">Change password</button></form>"#,
        action = escape_html(&auth.paths().change_password()),
        back = hidden("callbackUrl", "/settings?password=changed"),
    ));
    Ok(html)
}

/// "Confirm it is you": the password (or a second-factor code), then back to the page, where
/// the action that asked for it can be done again.
fn reauthenticate_form(
    auth: &Auth,
    csrf: &str,
    has_password: bool,
    two_factor: bool,
    error: Option<&str>,
) -> String {
    let wrong = match error {
        Some("WrongPassword") => {
            r#"<p class="form-error" role="alert">The password is not correct.</p>"#
        }
        Some("InvalidTwoFactorCode") => {
            r#"<p class="form-error" role="alert">The code is not correct.</p>"#
        }
        Some("RateLimited" | "AccountLocked") => {
            r#"<p class="form-error" role="alert">Too many attempts. Try again later.</p>"#
        }
        _ => "",
    };
    let password = if has_password {
        r#"<label for="reauth-password">Password</label><input id="reauth-password" name="password" type="password" autocomplete="current-password">"#
    } else {
        ""
    };
    let code = if two_factor {
        r#"<label for="reauth-code">Or a code from your authenticator app</label><input id="reauth-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code">"#
    } else {
        ""
    };
    let passkey = if !has_password && !two_factor {
        r#"<p class="muted">Sign in again (with your passkey or provider), then come back.</p>"#
    } else {
        ""
    };
    format!(
        r#"<section class="reauth" data-testid="reauthenticate"><h2>Confirm it is you</h2><p role="alert">This change needs a recent sign-in. Confirm it is you, then try again.</p>{wrong}{passkey}<form method="post" action="{action}" class="stacked-form">{csrf}<input type="hidden" name="callbackUrl" value="/settings?reauth=done">{password}{code}<button type="submit" class="button primary">Confirm</button></form></section>"#,
        action = escape_html(&auth.paths().reauthenticate()),
    )
}

/// Two-factor sign-in: off (a button to set it up), being set up (the QR code, the secret as
/// text and the code that turns it on), or on (new backup codes, turning it off).
async fn two_factor_section(
    auth: &Auth,
    csrf: &str,
    back: &str,
    user: &User,
    status: &leptos_auth::two_factor::TwoFactorStatus,
    error: Option<&str>,
    headers: &http::HeaderMap,
) -> String {
    let paths = auth.paths();
    let message = match error {
        Some("InvalidTwoFactorCode") => {
            r#"<p class="form-error" role="alert">The code is not correct.</p>"#
        }
        Some("TwoFactorNotSetUp") => {
            r#"<p class="form-error" role="alert">Set up two-factor sign-in first.</p>"#
        }
        _ => "",
    };
    let mut html = format!(r#"<h2>Two-factor sign-in</h2>{message}"#);
    if status.enabled {
        html.push_str(&format!(
            r#"<p data-testid="two-factor-status">On · {left} backup codes left</p><form method="post" action="{regenerate}">{csrf}{back}<button type="submit" class="button">New backup codes</button></form><form method="post" action="{disable}" class="stacked-form">{csrf}{back}<label for="disable-code">Code or backup code</label><input id="disable-code" name="code" type="text" autocomplete="one-time-code" required><button type="submit" class="button">Turn off two-factor sign-in</button></form>"#,
            left = status.backup_codes_left,
            regenerate = escape_html(&paths.regenerate_backup_codes()),
            disable = escape_html(&paths.disable_two_factor()),
        ));
        return html;
    }
    let site = auth.site_url(headers);
    let setup = match status.setting_up {
        true => auth
            .two_factor_setup(user, site.host_str().unwrap_or_default())
            .await
            .ok()
            .flatten(),
        false => None,
    };
    match setup {
        Some(setup) => html.push_str(&format!(
            r#"<p data-testid="two-factor-status">Scan this QR code with your authenticator app, or enter the key by hand, then type the 6-digit code it shows.</p><div class="qr">{qr}</div><p>Key: <code data-testid="totp-secret">{secret}</code></p><p class="muted"><a href="{uri}">Open in an authenticator app on this device</a></p><form method="post" action="{enable}" class="stacked-form">{csrf}{back}<label for="enable-code">Code</label><input id="enable-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required><button type="submit" class="button primary">Turn on two-factor sign-in</button></form>"#,
            // Made on the server by the library from the URI: no external service sees it.
            qr = setup.qr_svg,
            secret = escape_html(&setup.secret),
            uri = escape_html(&setup.uri),
            enable = escape_html(&paths.enable_two_factor()),
        )),
        None => html.push_str(&format!(
            r#"<p data-testid="two-factor-status">Off</p><form method="post" action="{set_up}">{csrf}{back}<button type="submit" class="button">Set up two-factor sign-in</button></form>"#,
            set_up = escape_html(&paths.set_up_two_factor()),
        )),
    }
    html
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
        // Said where they belong: "confirm it is you", the two-factor section.
        (
            Some(
                "SessionNotFresh"
                | "InvalidTwoFactorCode"
                | "TwoFactorNotSetUp"
                | "TwoFactorEnabled"
                | "TwoFactorNotEnabled",
            ),
            _,
        ) => None,
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
        "two_factor_enabled" => "Two-factor sign-in turned on",
        "two_factor_disabled" => "Two-factor sign-in turned off",
        "backup_codes_regenerated" => "New backup codes made",
        "two_factor_succeeded" => "Two-factor code accepted",
        "backup_code_used" => "Backup code used",
        "two_factor_failed" => "Wrong two-factor code",
        "reauthenticated" => "Identity confirmed for a sensitive change",
        _ => "Security event",
    }
}
