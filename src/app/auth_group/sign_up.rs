use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use leptos_auth::{AuthFnError, client::PasskeySignUp};

/// Creates a password account and signs the new user in (`jwt` trigger `SignUp`).
///
/// Posted by the page's plain HTML form, it redirects: to the dashboard, or back to the form
/// with the error. Called from a script (no `Accept: text/html`), it answers errors as `Err`.
#[server(prefix = "/api/app", endpoint = "sign_up")]
pub async fn sign_up(name: String, email: String, password: String) -> Result<(), AuthFnError> {
    use leptos_auth::{
        Auth, AuthError, ClientIp, callbacks::JwtTrigger, limits::LimitedAction,
        register::RegisterError, server_fns::append_set_cookies,
    };

    let auth: Auth = leptos_axum::extract().await?;
    let parts: http::request::Parts = leptos_axum::extract().await?;
    let headers = &parts.headers;
    let client_ip: ClientIp = leptos_axum::extract().await?;
    // Plain form posts accept HTML; the client library's fetches do not.
    let from_plain_form = headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));

    if let Err(refusal) = auth.rate_limit(client_ip, LimitedAction::SignUp).await {
        if !from_plain_form {
            return Err(refusal.into());
        }
        let message = refusal
            .code
            .user_message_after(Some(refusal.retry_after.as_secs()));
        let query = serde_urlencoded::to_string([("error", &message), ("email", &email)])
            .unwrap_or_default();
        leptos_axum::redirect(&format!("/sign-up?{query}"));
        return Ok(());
    }

    let outcome = match auth.register(&email, Some(&name), &password).await {
        Ok(user) => {
            // Sent after the answer, so a slow mail server does not hold up the sign-up. A
            // failed mail is logged; the dashboard offers to send it again.
            if auth.config().can_send_mail() {
                let (auth, parts, user) = (auth.clone(), parts.clone(), user.clone());
                tokio::spawn(async move {
                    let _ = auth
                        .send_verification_email(&parts, &user, Some("/dashboard"))
                        .await;
                });
            }
            if auth.config().require_verified_email {
                Err(AuthError::EmailNotVerified.user_message().to_owned())
            } else {
                auth.issue_session(&parts, &user, JwtTrigger::SignUp)
                    .await
                    .map_err(|e| e.user_message().to_owned())
            }
        }
        // Where sign-in needs a verified email anyway, a taken address is answered exactly
        // like a new one (nothing tells a stranger it has an account); its owner gets a
        // notice instead of a verification link.
        Err(RegisterError::EmailTaken) if auth.config().require_verified_email => {
            if auth.config().can_send_mail() {
                let (auth, parts, email) = (auth.clone(), parts.clone(), email.clone());
                tokio::spawn(async move {
                    auth.send_account_exists_notice(&parts, &email).await;
                });
            }
            Err(AuthError::EmailNotVerified.user_message().to_owned())
        }
        Err(e) => {
            if let RegisterError::Unavailable(cause) = &e {
                tracing::error!(cause = %cause, "sign-up failed");
            }
            Err(e.to_string())
        }
    };
    match (outcome, from_plain_form) {
        (Ok(cookies), plain) => {
            append_set_cookies(cookies);
            if plain {
                leptos_axum::redirect("/dashboard");
            }
            Ok(())
        }
        (Err(message), true) => {
            let query = serde_urlencoded::to_string([
                ("error", &message),
                ("email", &email),
                ("name", &name),
            ])
            .unwrap_or_default();
            leptos_axum::redirect(&format!("/sign-up?{query}"));
            Ok(())
        }
        // A 400, not the 500 a server function's error would otherwise be.
        (Err(message), false) => Err(AuthFnError::Invalid(message).respond()),
    }
}

/// `/sign-up`: a plain form posting to the server function, which redirects to the dashboard
/// or back here with the error; the same with and without JavaScript, and no client code for
/// it (the client's size budget goes to passkeys). "Sign up with a passkey instead" uses the
/// same email and name fields.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let initial = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let error = query.read_untracked().get("error");
    let sign_up_url = <SignUp as leptos::server_fn::ServerFn>::PATH;
    view! {
        <h1>"Create an account"</h1>
        <form method="post" action=sign_up_url>
            {error.map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <label for="name">"Name"</label>
            <input id="name" name="name" type="text" autocomplete="name" value=initial("name")/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required value=initial("email")/>
            <label for="password">"Password"</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required/>
            <button type="submit" class="button primary wide">"Sign up"</button>
        </form>
        <PasskeySignUp email_field="email" name_field="name" callback_url="/dashboard"/>
        <p class="muted">"Already registered? " <a href="/sign-in">"Sign in"</a></p>
    }
}
