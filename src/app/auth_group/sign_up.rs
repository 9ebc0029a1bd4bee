use leptos::prelude::*;

use leptos_auth::client::{PasskeySignUp, SignUpForm};

/// `/sign-up`: the library's sign-up form (a plain form posting to `/api/auth/signup`, the
/// same with and without JavaScript, no client code of its own), which comes back here with
/// the error when refused (`pages.sign_up`) and goes on to the dashboard. "Sign up with a
/// passkey instead" uses the same email and name fields.
#[component]
pub fn SignUpPage() -> impl IntoView {
    view! {
        <h1>"Create an account"</h1>
        <SignUpForm callback_url="/dashboard"/>
        <PasskeySignUp email_field="email" name_field="name" callback_url="/dashboard"/>
        <p class="muted">"Already registered? " <a href="/sign-in">"Sign in"</a></p>
    }
}
