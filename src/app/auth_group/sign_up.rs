use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};

use leptos_auth::{AuthFnError, client::PasskeySignUp, use_session};

/// Creates a password account and signs the new user in (`jwt` trigger `SignUp`).
///
/// Called by the page's script, it answers errors as `Err` for inline display. Posted by the
/// plain HTML form (no JavaScript), it redirects: to the dashboard, or back to the form with
/// the error.
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

/// `/sign-up`
#[component]
pub fn SignUpPage() -> impl IntoView {
    let query = use_query_map();
    let initial = |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let name = RwSignal::new(initial("name"));
    let email = RwSignal::new(initial("email"));
    let password = RwSignal::new(String::new());
    let (error, set_error) = signal(query.read_untracked().get("error"));
    let pending = RwSignal::new(false);
    let session = use_session();
    let navigate = use_navigate();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        let (n, e, p) = (
            name.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        );
        spawn_local(async move {
            match sign_up(n, e, p).await {
                Ok(()) => {
                    // The session must be known before the guarded page renders.
                    session.refetch().await;
                    navigate("/dashboard", Default::default());
                }
                Err(err) => {
                    password.set(String::new());
                    set_error.set(Some(match err {
                        AuthFnError::Invalid(message) => message,
                        AuthFnError::TooManyAttempts {
                            code,
                            retry_after_secs,
                        } => code.user_message_after(Some(retry_after_secs)),
                        _ => "The account could not be created right now. Please try again.".into(),
                    }));
                }
            }
            pending.set(false);
        });
    };

    let sign_up_url = <SignUp as leptos::server_fn::ServerFn>::PATH;
    view! {
        <h1>"Create an account"</h1>
        <form method="post" action=sign_up_url on:submit=on_submit>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <label for="name">"Name"</label>
            <input id="name" name="name" type="text" autocomplete="name" bind:value=name/>
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required bind:value=email/>
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                required
                bind:value=password
            />
            <button type="submit" class="button primary wide" disabled=move || pending.get()>
                "Sign up"
            </button>
        </form>
        <PasskeySignUp email_field="email" name_field="name" callback_url="/dashboard"/>
        <p class="muted">"Already registered? " <a href="/sign-in">"Sign in"</a></p>
    }
}
