use leptos::{prelude::*, task::spawn_local};
use leptos_auth::{
    AuthError,
    client::{PasskeyButton, ProviderButtons, SignInOptions},
    redirect::local_callback_url,
    use_session,
};
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/sign-in`: email and password. With JavaScript it signs in without leaving the page and
/// shows failures inline; without, the form posts to the credentials callback endpoint.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let callback_url = move || {
        local_callback_url(
            query.read().get("callbackUrl").as_deref(),
            Some(&session.site_origin()),
            "/dashboard",
        )
    };
    // Failures of the no-JavaScript flow come back as ?error=<Code>(&retryAfter=<seconds>).
    let (error, set_error) = signal(query.with_untracked(|q| {
        let retry_after = q.get("retryAfter").and_then(|s| s.parse().ok());
        q.get("error")
            .map(|code| AuthError::from_code(&code).user_message_after(retry_after))
    }));
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let csrf_value = Signal::derive(move || session.csrf_token());
    let credentials_url = session.paths().callback("credentials");
    let navigate = use_navigate();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        let options = SignInOptions {
            redirect: false,
            callback_url: Some(callback_url()),
            fields: vec![
                ("email".into(), email.get_untracked()),
                ("password".into(), password.get_untracked()),
            ],
        };
        spawn_local(async move {
            let response = session.sign_in(Some("credentials"), options).await;
            pending.set(false);
            if response.ok {
                let target = local_callback_url(
                    response.url.as_deref(),
                    Some(&session.site_origin()),
                    "/dashboard",
                );
                navigate(&target, Default::default());
            } else {
                password.set(String::new());
                // Deliberately the same for "no such user" and "wrong password".
                let error = response.error.unwrap_or(AuthError::Default);
                set_error.set(Some(error.user_message_after(response.retry_after)));
            }
        });
    };

    view! {
        <h1>"Sign in"</h1>
        <form method="post" action=credentials_url on:submit=on_submit>
            <input type="hidden" name="csrfToken" value=csrf_value/>
            <input type="hidden" name="callbackUrl" value=callback_url/>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <label for="email">"Email"</label>
            // `webauthn`: the browser offers saved passkeys in this field's autofill.
            <input id="email" name="email" type="email" autocomplete="username webauthn" required bind:value=email/>
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                bind:value=password
            />
            <button type="submit" class="button primary wide" disabled=move || pending.get()>
                "Sign in"
            </button>
        </form>
        <PasskeyButton callback_url=Signal::derive(callback_url) autofill=true/>
        <ProviderButtons callback_url=Signal::derive(callback_url)/>
        <p class="muted">
            <a href="/forgot-password">"Forgot your password?"</a>
            " · No account yet? "
            <a href="/sign-up">"Sign up"</a>
        </p>
    }
}
