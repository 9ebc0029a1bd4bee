use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    app::{ProviderButton, local_callback_url},
    auth::{AuthError, SignInOptions, use_session},
};

/// `/sign-in`: email and password. With JavaScript it signs in without leaving the page and
/// shows failures inline; without, the form posts to `/api/auth/callback/credentials`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let callback_url = move || local_callback_url(query.read().get("callbackUrl"), "/dashboard");
    // Failures of the no-JavaScript flow come back as ?error=<Code>.
    let (error, set_error) = signal(
        query
            .read_untracked()
            .get("error")
            .map(|code| message_for(&code)),
    );
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let session = use_session();
    let csrf_value = Signal::derive(move || session.csrf_token());
    let provider_buttons = move || {
        session
            .providers()
                .into_iter()
                .filter(|p| p.kind != "credentials")
                .map(|p| {
                    let label = format!("Sign in with {}", p.name);
                    view! { <ProviderButton provider_id=p.id label callback_url=Signal::derive(callback_url) csrf_token=csrf_value/> }
                })
                .collect_view()
    };
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
                navigate(
                    &local_callback_url(response.url, "/dashboard"),
                    Default::default(),
                );
            } else {
                password.set(String::new());
                set_error.set(Some(message_for(
                    response.error.as_deref().unwrap_or("Default"),
                )));
            }
        });
    };

    view! {
        <h1>"Sign in"</h1>
        <form method="post" action="/api/auth/callback/credentials" on:submit=on_submit>
            <input type="hidden" name="csrfToken" value=csrf_value/>
            <input type="hidden" name="callbackUrl" value=callback_url/>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            <label for="email">"Email"</label>
            <input id="email" name="email" type="email" autocomplete="email" required bind:value=email/>
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
        {provider_buttons}
        <p class="muted">"No account yet? " <a href="/sign-up">"Sign up"</a></p>
    }
}

/// What to tell the person: deliberately the same for "no such user" and "wrong password".
fn message_for(code: &str) -> String {
    AuthError::from_code(code).user_message().to_owned()
}
