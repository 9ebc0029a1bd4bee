//! `/forgot-password` and `/reset-password?token=…`: plain forms posting to the library's
//! `/api/auth/password/forgot` and `/api/auth/password/reset`, so both work without
//! JavaScript. Their markup is made as text rather than as views: for a few static
//! elements that costs the client far less code (the budget is 250 KiB brotli).

use leptos::prelude::*;
use leptos_auth::{AuthError, use_session};
use leptos_router::hooks::use_query_map;

use crate::app::escape_html;

/// `/forgot-password`: asks for a link to choose a new password.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    // The endpoint sends plain forms back here with `?sent=1`, account or not.
    let sent = use_query_map().read_untracked().get("sent").is_some();
    let action = session.paths().forgot_password();
    let html = move || {
        let notice = if sent {
            r#"<p class="notice" role="status" data-testid="reset-sent">If an account uses that address, a link to choose a new password is on its way. It works for one hour.</p>"#
        } else {
            ""
        };
        format!(
            r#"<h1>Forgot your password?</h1>{notice}<form method="post" action="{action}">{csrf}<input type="hidden" name="callbackUrl" value="/forgot-password?sent=1"><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required><button type="submit" class="button primary wide">Email me a link</button></form><p class="muted"><a href="/sign-in">Back to sign in</a></p>"#,
            csrf = csrf_field(&session.csrf_token()),
        )
    };
    view! { <div inner_html=html></div> }
}

/// `/reset-password?token=…`: the page a reset link opens. Setting the password ends every
/// session of the account and signs in here.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map().read_untracked();
    let token = escape_html(&query.get("token").unwrap_or_default());
    let error = query
        .get("error")
        .map(|code| match code.as_str() {
            "WeakPassword" => "Choose a password of 8 to 256 characters.",
            code => AuthError::from_code(code).user_message(),
        })
        .map(|message| format!(r#"<p class="form-error" role="alert">{message}</p>"#))
        .unwrap_or_default();
    let action = session.paths().reset_password();
    let html = move || {
        format!(
            r#"<h1>Choose a new password</h1>{error}<form method="post" action="{action}">{csrf}<input type="hidden" name="token" value="{token}"><input type="hidden" name="callbackUrl" value="/dashboard"><label for="password">New password</label><input id="password" name="password" type="password" autocomplete="new-password" required><button type="submit" class="button primary wide">Set password and sign in</button></form>"#,
            csrf = csrf_field(&session.csrf_token()),
        )
    };
    view! { <div inner_html=html></div> }
}

fn csrf_field(token: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrfToken" value="{}">"#,
        escape_html(token)
    )
}
