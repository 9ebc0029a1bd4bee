//! `/forgot-password` and `/reset-password?token=…`: plain forms posting to the library's
//! `/api/auth/password/forgot` and `/api/auth/password/reset`, so both work without
//! JavaScript (and add next to nothing to the client).

use leptos::prelude::*;
use leptos_auth::{AuthError, use_session};
use leptos_router::hooks::use_query_map;

/// `/forgot-password`: asks for a link to choose a new password.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let session = use_session();
    // The endpoint sends plain forms back here with `?sent=1`, account or not.
    let sent = use_query_map().read_untracked().get("sent").is_some();
    view! {
        <h1>"Forgot your password?"</h1>
        {sent.then(|| view! {
            <p class="notice" role="status" data-testid="reset-sent">
                "If an account uses that address, a link to choose a new password is on its way. It works for one hour."
            </p>
        })}
        <form method="post" action=session.paths().forgot_password()>
            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
            <input type="hidden" name="callbackUrl" value="/forgot-password?sent=1"/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required/>
            <button type="submit" class="button primary wide">"Email me a link"</button>
        </form>
        <p class="muted"><a href="/sign-in">"Back to sign in"</a></p>
    }
}

/// `/reset-password?token=…`: the page a reset link opens. Setting the password ends every
/// session of the account and signs in here.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map().read_untracked();
    let token = query.get("token").unwrap_or_default();
    let error = query.get("error").map(|code| match code.as_str() {
        "WeakPassword" => "Choose a password of 8 to 256 characters.",
        code => AuthError::from_code(code).user_message(),
    });
    view! {
        <h1>"Choose a new password"</h1>
        {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
        <form method="post" action=session.paths().reset_password()>
            <input type="hidden" name="csrfToken" value=move || session.csrf_token()/>
            <input type="hidden" name="token" value=token/>
            <input type="hidden" name="callbackUrl" value="/dashboard"/>
            <label for="password">"New password"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required/>
            <button type="submit" class="button primary wide">"Set password and sign in"</button>
        </form>
    }
}
